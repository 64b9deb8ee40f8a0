import Foundation

/// How much of a vocabulary a vectors file covers: printed at start, kept in checkpoints,
/// shown in the dashboard header.
public struct EmbeddingCoverage: Codable, Sendable, Equatable {
    /// The vectors file, as given.
    public var file: String
    public var dimension: Int
    /// Vocabulary words (`<unk>` not counted) that got a pretrained vector.
    public var wordsFound: Int
    public var words: Int
    /// Training tokens whose word got a pretrained vector.
    public var tokensFound: Int
    public var tokens: Int

    public init(file: String, dimension: Int, wordsFound: Int, words: Int, tokensFound: Int, tokens: Int) {
        self.file = file; self.dimension = dimension; self.wordsFound = wordsFound; self.words = words
        self.tokensFound = tokensFound; self.tokens = tokens
    }

    /// `GloVe: 15,802 of 16,581 words (95.3%), 98.9% of tokens`.
    public var summary: String {
        func pct(_ a: Int, _ b: Int) -> String { percent(Double(a) / Double(max(b, 1)), digits: 1) }
        return
            "\(wordsFound) of \(words) words (\(pct(wordsFound, words))), \(pct(tokensFound, tokens)) of tokens"
    }
}

/// Pretrained vectors for a vocabulary's words, looked up the way SST spells them.
///
/// SST writes brackets and slashes PTB-style (`-LRB-`, `\/`), where GloVe and word2vec files
/// have `(` and `/`; and a word missing in the case it has falls back to its lower-cased form.
public enum PretrainedVectors {
    /// The spellings to look `word` up under, most specific first: as is, PTB escapes
    /// undone, then both lower-cased.
    public static func spellings(of word: String) -> [String] {
        var list = [word]
        func add(_ s: String) { if !list.contains(s) { list.append(s) } }
        let plain = Treebank.displayText(
            ofToken: Treebank.bracketEscapes.keys.first {
                $0.caseInsensitiveCompare(word) == .orderedSame
            } ?? word)
        add(plain)
        add(word.lowercased())
        add(plain.lowercased())
        return list
    }

    /// Reads `path` and returns, for each vocabulary index, its vector (nil if the file has
    /// none of the word's spellings; always nil for `<unk>`), and the file's dimension.
    ///
    /// Streams the file; memory grows with the vocabulary, not with the file.
    public static func lookUp(
        _ path: String, vocabulary: Vocabulary
    ) throws -> (dimension: Int, vectors: [[Float]?]) {
        var candidates: [String] = []
        var position: [String: Int] = [:]
        let spellings = vocabulary.words.map(Self.spellings(of:))
        for list in spellings.dropFirst() {
            for s in list where position[s] == nil {
                position[s] = candidates.count
                candidates.append(s)
            }
        }
        let file = try EmbeddingsReader.read(contentsOf: path, words: candidates)
        var vectors: [[Float]?] = [nil]
        for list in spellings.dropFirst() {
            let found = list.lazy.compactMap { file.vector(forIndex: position[$0]!) }.first
            vectors.append(found.map(Array.init))
        }
        return (file.dimension, vectors)
    }

    /// Writes the found vectors into rows of `L` (a flat [V × dimension] block of `p` at
    /// `offset`) and measures the coverage over `tokens` (training word ids).
    public static func apply(
        _ vectors: [[Float]?], to p: inout [Float], offset: Int, dimension: Int,
        file: String, tokens: [Int32]
    ) -> EmbeddingCoverage {
        for (id, v) in vectors.enumerated() {
            guard let v else { continue }
            for j in 0 ..< dimension { p[offset + id * dimension + j] = v[j] }
        }
        let found = vectors.lazy.filter { $0 != nil }.count
        let tokensFound = tokens.lazy.filter { $0 >= 0 && vectors[Int($0)] != nil }.count
        let tokenCount = tokens.lazy.filter { $0 >= 0 }.count
        return EmbeddingCoverage(
            file: file, dimension: dimension, wordsFound: found, words: vectors.count - 1,
            tokensFound: tokensFound, tokens: tokenCount)
    }

    /// The width of the vectors in `path`, from its first line (the header of a word2vec
    /// file, or the number of values of a GloVe row), without reading the rest.
    ///
    /// The first line is read whole, up to `InputText.maximumLineBytes` (it was cut at 64 KiB,
    /// so a row of 100,000 values read as 16,383-dimensional). A width above `maximum` is an
    /// error naming the line and column: it sizes the model, which is checked only later, and
    /// a header's `1 999999999999` must be blamed on the file, not on `--dim`.
    public static func dimension(of path: String, maximum: Int = Int.max) throws -> Int {
        func fail(_ column: Int, _ message: String) -> InputError {
            InputError(source: path, line: column == 0 ? 0 : 1, column: column, message: message)
        }
        var head: Data
        do {
            head = try RegularFile(path).read(at: 0, count: InputText.maximumLineBytes + 2)
        } catch {
            throw fail(0, error.message)
        }
        if let newline = head.firstIndex(of: 0x0A) { head = head[..<newline] }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        if head.last == 0x0D { head = head.dropLast() }
        if let problem = InputText.lineProblem(byteCount: head.count) { throw fail(1, problem) }
        let fields = String(decoding: head, as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "\t" })
        let width: Int
        if fields.count == 2, Int(fields[0]) != nil, fields[1].allSatisfy(\.isASCII), let dim = Int(fields[1])
        {
            width = dim
            guard (1 ... maximum).contains(dim) else {
                let column = fields[0].count + 2
                throw fail(column, "dimension \(dim) in the header is outside 1-\(maximum)")
            }
        } else {
            guard fields.count >= 2 else {
                throw fail(1, "expected `word v1 … vd` or a `count dim` header")
            }
            width = fields.count - 1
            guard width <= maximum else {
                throw fail(1, "a row of \(width) values: vectors wider than \(maximum) are refused")
            }
        }
        return width
    }
}
