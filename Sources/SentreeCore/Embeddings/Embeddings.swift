/// Pretrained word vectors for the words of a vocabulary, as read by `EmbeddingsReader`.
///
/// Only the rows of wanted words are kept: memory grows with the vocabulary, not the file.
public struct Embeddings: Sendable, Equatable {
    /// The text layouts `EmbeddingsReader` understands.
    public enum Format: String, Sendable {
        /// `word v1 … vd` per line, no header (GloVe).
        case glove
        /// A first line `count dim`, then GloVe-style rows (word2vec `-binary 0`, fastText `.vec`).
        case word2vec
    }

    public var format: Format
    /// Number of values per word.
    public var dimension: Int
    /// Vectors of the words found, one row of `dimension` values each, in file order.  [F×d]
    public var vectors: [Float]
    /// Row in `vectors` of each vocabulary index, or -1 if the file has no such word.  [V]
    public var rows: [Int32]
    /// Vector rows in the file (the header not counted), wanted or not.
    public var rowsRead: Int

    /// Number of vocabulary words the file had a vector for.
    public var wordsFound: Int { vectors.count / max(dimension, 1) }

    /// The vector of vocabulary index `index`, or nil if the file had none.
    public func vector(forIndex index: Int) -> ArraySlice<Float>? {
        let row = Int(rows[index])
        return row < 0 ? nil : vectors[row * dimension ..< (row + 1) * dimension]
    }
}
