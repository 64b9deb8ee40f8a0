/// Why a word list cannot be a vocabulary (e.g. a corrupted checkpoint).
public struct VocabularyError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}

/// Maps tokens to embedding rows; row 0 is the unknown word.
///
/// Ids are `Int32` because they index the embedding matrix from the flat per-node arrays
/// the models read. With `lowercase` on, tokens are lower-cased (Unicode-aware) both when
/// the vocabulary is built and on every lookup.
public struct Vocabulary: Sendable, Equatable {
    public static let unknownToken = "<unk>"

    /// Words in id order; `words[0]` is `unknownToken`.
    public let words: [String]
    public let lowercase: Bool
    private let ids: [String: Int32]

    /// Wraps a word list that is known to be valid (e.g. one this type produced).
    ///
    /// Traps if `words[0]` is not `<unk>` or a word repeats; use `init(validating:lowercase:)`
    /// for lists read from outside the program.
    public init(words: [String], lowercase: Bool) {
        do {
            try self.init(validating: words, lowercase: lowercase)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// Wraps a word list from an untrusted source, throwing if `words[0]` is not `<unk>` or
    /// a word appears twice.
    ///
    /// Words are compared as Swift strings, i.e. up to Unicode canonical equivalence.
    public init(validating words: [String], lowercase: Bool) throws(VocabularyError) {
        guard words.first == Self.unknownToken else {
            throw VocabularyError(
                message:
                    "vocabulary must start with \(Self.unknownToken), found \(words.first.map { "'\($0)'" } ?? "no words")"
            )
        }
        guard words.count <= Int(Int32.max) else {
            throw VocabularyError(message: "vocabulary has \(words.count) words, more than Int32 ids allow")
        }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(words.count)
        for (i, word) in words.enumerated() {
            if let previous = ids.updateValue(Int32(i), forKey: word) {
                throw VocabularyError(
                    message: "vocabulary word '\(word)' appears twice (ids \(previous) and \(i))")
            }
        }
        self.words = words
        self.lowercase = lowercase
        self.ids = ids
    }

    /// Every token of `treebank` (usually the training set), most frequent first, ties in
    /// ascending string order, so the same data always gives the same ids.
    ///
    /// A token equal to `<unk>` (after lower-casing) maps to the unknown row and gets no
    /// row of its own.
    public static func build(from treebank: Treebank, lowercase: Bool) -> Vocabulary {
        var counts: [String: Int] = [:]
        for token in treebank.tokens {
            counts[lowercase ? token.lowercased() : token, default: 0] += 1
        }
        counts[unknownToken] = nil
        let sorted = counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
        return Vocabulary(words: [unknownToken] + sorted.map(\.key), lowercase: lowercase)
    }

    /// Number of rows, including `<unk>`.
    public var count: Int { words.count }

    /// Id of `token` (lower-cased first if `lowercase`), or 0 for an unknown word.
    public func id(of token: String) -> Int32 {
        ids[lowercase ? token.lowercased() : token] ?? 0
    }

    /// Per node of `treebank`: the word id for a leaf, -1 for an internal node.
    public func encode(_ treebank: Treebank) -> [Int32] {
        let tokenIDs = treebank.tokens.map(id(of:))
        return treebank.leafToken.map { $0 < 0 ? -1 : tokenIDs[Int($0)] }
    }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        a.lowercase == b.lowercase && a.words == b.words
    }
}
