import Foundation
import SentreeCore

/// The model `predict` runs: a checkpoint whose vocabulary grows, as inputs arrive, by the
/// words training never saw but a vectors file has, so they are read with their pretrained
/// vector instead of `<unk>` (as `eval` does for a whole treebank at once).
final class PredictionModel {
    /// The vectors file for unseen words; `nil`: they stay `<unk>`.
    let vectorsFile: String?
    /// Words of the vocabulary as trained; ids from here on came from `vectorsFile`.
    let trainedWords: Int
    private var checkpoint: Checkpoint
    private(set) var vocabulary: Vocabulary
    private(set) var snapshot: ModelSnapshot
    /// Words added from the file so far, and input tokens read with one of them.
    private(set) var wordsAdded = 0
    private(set) var tokensAdded = 0
    /// What the checkpoint learned, which decides how its predictions are named.
    var task: SentimentTask { checkpoint.config.sentimentTask }

    init(_ checkpoint: Checkpoint, vectorsFile: String?) {
        self.vectorsFile = vectorsFile
        self.checkpoint = checkpoint
        trainedWords = checkpoint.vocabulary.count
        vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
        snapshot = Self.snapshot(of: checkpoint)
    }

    private static func snapshot(of c: Checkpoint) -> ModelSnapshot {
        ModelSnapshot(
            layout: ParameterLayout(c.model), parameters: c.parameters,
            epoch: c.progress.epochsCompleted, step: c.progress.globalStep)
    }

    /// Adds the unseen words of `treebanks` that the file has, in one pass over the file.
    func cover(_ treebanks: [Treebank]) throws {
        guard let vectorsFile, !treebanks.isEmpty else { return }
        let extended = try PretrainedVectors.extend(
            checkpoint, forTokens: treebanks.lazy.flatMap(\.tokens),
            file: vectorsFile)
        guard extended.words > 0 else { return }
        checkpoint = extended.checkpoint
        wordsAdded += extended.words
        vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
        snapshot = Self.snapshot(of: checkpoint)
    }

    /// Counts the leaves of `words` (ids of one input's nodes) read with a pretrained vector.
    func countPretrained(_ words: some Sequence<Int32>) {
        tokensAdded += words.reduce(0) { $0 + ($1 >= trainedWords ? 1 : 0) }
    }

    /// The line for standard error: how many words and tokens the file gave a vector.
    var summary: String? {
        // Nothing was looked up or found: a count of zeros would only be noise.
        guard let vectorsFile, wordsAdded > 0 else { return nil }
        let words = "\(wordsAdded) word\(wordsAdded == 1 ? "" : "s")"
        return TerminalText.sanitized(
            "vectors \(vectorsFile): \(words) "
                + "unseen in training (\(tokensAdded) token\(tokensAdded == 1 ? "" : "s")) read with a "
                + "pretrained vector instead of <unk>")
    }
}
