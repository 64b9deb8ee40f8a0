/// The characters the parser's character encoder reads (`CharacterEncoder`): Unicode scalars
/// of the training words, case kept, each with an id.
///
/// Ids 0–4 are reserved: 0 any scalar the list lacks, 1 and 2 the marks before and after a
/// word (the convolution's padding, so that a window can see where a word starts and ends), 3
/// and 4 the one "character" of `<s>` and `</s>`. Scalars seen at least `minimumCount` times
/// in training get ids from 5, most frequent first (ties by scalar value), at most
/// `maximumCount` of them: a scalar seen once would train its row on one word only, and the
/// unknown row would never train at all.
public struct ParserCharacters: Sendable, Equatable {
    public static let unknown: Int32 = 0
    public static let wordStart: Int32 = 1
    public static let wordEnd: Int32 = 2
    public static let sentenceStart: Int32 = 3
    public static let sentenceEnd: Int32 = 4
    public static let reserved = 5
    public static let minimumCount = 2
    public static let maximumCount = 1000
    /// Scalars read per word: longer words are cut to their first 24 (SST has a few dozen
    /// such tokens, mostly hyphenated compounds, whose start says enough), so one freak
    /// token cannot make a batch's convolution arbitrarily long.
    public static let maximumWordLength = 24

    /// Scalar values in id order, from id `reserved`.
    public let scalars: [UInt32]
    private let ids: [UInt32: Int32]

    /// Wraps a list read from a file or built here: throws on a value that is not a Unicode
    /// scalar, a repeat, or more than `maximumCount` values.
    public init(validating scalars: [UInt32]) throws(VocabularyError) {
        guard scalars.count <= Self.maximumCount else {
            throw VocabularyError(
                message: "\(scalars.count) characters, more than the limit of \(Self.maximumCount)")
        }
        var ids: [UInt32: Int32] = [:]
        for (k, value) in scalars.enumerated() {
            guard Unicode.Scalar(value) != nil else {
                throw VocabularyError(message: "character \(value) is not a Unicode scalar value")
            }
            if ids.updateValue(Int32(Self.reserved + k), forKey: value) != nil {
                throw VocabularyError(message: "character \(value) appears twice")
            }
        }
        self.init(scalars: scalars, ids: ids)
    }

    private init(scalars: [UInt32], ids: [UInt32: Int32]) {
        self.scalars = scalars
        self.ids = ids
    }

    /// The characters of `sentences`' words (usually the training set).
    public static func build(from sentences: [[String]]) -> ParserCharacters {
        var counts: [UInt32: Int] = [:]
        for sentence in sentences {
            for token in sentence {
                for s in token.unicodeScalars.prefix(maximumWordLength) { counts[s.value, default: 0] += 1 }
            }
        }
        let kept = counts.filter { $0.value >= minimumCount }
            .sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
            .prefix(maximumCount).map(\.key)
        // Distinct scalar values, at most `maximumCount`: nothing to validate.
        var ids: [UInt32: Int32] = [:]
        for (k, value) in kept.enumerated() { ids[value] = Int32(reserved + k) }
        return ParserCharacters(scalars: Array(kept), ids: ids)
    }

    /// Rows of the character vector table, reserved ids included.
    public var count: Int { Self.reserved + scalars.count }

    /// Appends `token`'s ids framed by the word marks: `wordStart`, up to
    /// `maximumWordLength` scalars (one `unknown` for an empty token), `wordEnd`.
    func append(_ token: String, to out: inout [Int32]) {
        out.append(Self.wordStart)
        var n = 0
        for s in token.unicodeScalars.prefix(Self.maximumWordLength) {
            out.append(ids[s.value] ?? Self.unknown)
            n += 1
        }
        if n == 0 { out.append(Self.unknown) }
        out.append(Self.wordEnd)
    }
}
