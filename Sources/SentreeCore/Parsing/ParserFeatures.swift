/// What the parser reads of each token: the word, its last three letters and its shape, and
/// (with a character encoder) its characters.
///
/// The suffix and the shape still say something about a word the vocabulary lacks
/// (`-ness`, `-ly`, a capitalized name, a number), which matters on movie reviews full of
/// names and rare words. Sentences are framed by `<s>` and `</s>`, so that the LSTMs' first
/// and last states (the fenceposts of the first and last words) have something to read.
public struct ParserFeatures: Sendable, Equatable {
    public static let start = "<s>"
    public static let end = "</s>"
    /// Shape classes: 0 sentence boundary, then those of `shape(of:)`.
    public static let shapeCount = 8

    /// Lower-cased words; ids 1 and 2 are `<s>` and `</s>`.
    public let words: Vocabulary
    /// Lower-cased three-letter endings (whole words when shorter).
    public let suffixes: Vocabulary
    /// The characters the character encoder reads; nil for a parser without one.
    public let characters: ParserCharacters?

    public init(words: Vocabulary, suffixes: Vocabulary, characters: ParserCharacters? = nil) {
        self.words = words
        self.suffixes = suffixes
        self.characters = characters
    }

    /// Every word and ending of `sentences` (usually the training set), and with `characters`
    /// their characters.
    public static func build(from sentences: [[String]], characters: Bool = false) -> ParserFeatures {
        var bank = Treebank(source: "features")
        bank.tokens = sentences.flatMap { $0 }
        let words = Vocabulary.build(from: bank, lowercase: true).words.filter { $0 != start && $0 != end }
        bank.tokens = bank.tokens.map(suffix(of:))
        let suffixes = Vocabulary.build(from: bank, lowercase: true)
        return ParserFeatures(
            words: Vocabulary(words: [words[0], start, end] + words.dropFirst(), lowercase: true),
            suffixes: suffixes, characters: characters ? ParserCharacters.build(from: sentences) : nil)
    }

    /// Ids of one sentence with its boundaries: rows `<s>`, the words, `</s>`.
    public struct Encoded: Sendable {
        public var words: [Int32]
        public var suffixes: [Int32]
        public var shapes: [Int32]
        /// With a character encoder: the character ids of every row, each framed by the word
        /// marks (`ParserCharacters.append`); row k's are `characters[characterStart[k] ..<
        /// characterStart[k + 1]]`. Both empty without one.
        public var characters: [Int32] = []
        public var characterStart: [Int32] = []
        /// Number of words, boundaries not counted.
        public var count: Int { words.count - 2 }
    }

    public func encode(_ tokens: [String]) -> Encoded {
        var e = Encoded(words: [1], suffixes: [0], shapes: [0])
        e.words.reserveCapacity(tokens.count + 2)
        for token in tokens {
            e.words.append(words.id(of: token))
            e.suffixes.append(suffixes.id(of: Self.suffix(of: token)))
            e.shapes.append(Self.shape(of: token))
        }
        e.words.append(2); e.suffixes.append(0); e.shapes.append(0)
        if let characters {
            e.characterStart.reserveCapacity(tokens.count + 3)
            e.characterStart.append(0)
            e.characters += [
                ParserCharacters.wordStart, ParserCharacters.sentenceStart, ParserCharacters.wordEnd,
            ]
            for token in tokens {
                e.characterStart.append(Int32(e.characters.count))
                characters.append(token, to: &e.characters)
            }
            e.characterStart.append(Int32(e.characters.count))
            e.characters += [
                ParserCharacters.wordStart, ParserCharacters.sentenceEnd, ParserCharacters.wordEnd,
            ]
            e.characterStart.append(Int32(e.characters.count))
        }
        return e
    }

    static func suffix(of token: String) -> String { String(token.lowercased().suffix(3)) }

    /// 1 lower-case word, 2 capitalized, 3 all capitals, 4 with a digit, 5 punctuation only,
    /// 6 hyphenated, 7 anything else.
    static func shape(of token: String) -> Int32 {
        if let shape = asciiShape(of: token) { return shape }
        var letters = 0, upper = 0, digits = 0
        for c in token {
            if c.isLetter { letters += 1; if c.isUppercase { upper += 1 } } else if c.isNumber { digits += 1 }
        }
        return shape(
            letters: letters, upper: upper, digits: digits, hyphen: token.contains("-"),
            upperFirst: token.first?.isUppercase == true)
    }

    /// `shape(of:)` of an ASCII token from its bytes (nil for another): there every character
    /// is one byte, a letter is A–Z or a–z and a number 0–9, as `Character` says, and the
    /// Unicode property lookups that dominated the encoding are skipped.
    private static func asciiShape(of token: String) -> Int32? {
        var letters = 0, upper = 0, digits = 0, hyphen = false
        for b in token.utf8 {
            switch b {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"): letters += 1
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"): letters += 1; upper += 1
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "-"): hyphen = true
            case 0x80...: return nil
            default: break
            }
        }
        let first = token.utf8.first ?? 0
        return shape(
            letters: letters, upper: upper, digits: digits, hyphen: hyphen,
            upperFirst: first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"))
    }

    private static func shape(letters: Int, upper: Int, digits: Int, hyphen: Bool, upperFirst: Bool) -> Int32
    {
        if digits > 0 { return 4 }
        if letters == 0 { return 5 }
        if hyphen && letters > 1 { return 6 }
        if upper == 0 { return 1 }
        if upper == letters && letters > 1 { return 3 }
        if upperFirst { return 2 }
        return 7
    }
}
