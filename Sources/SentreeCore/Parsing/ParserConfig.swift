/// The sizes of a span parser: what its file's metadata records and its layout follows.
public struct ParserConfig: Sendable, Equatable {
    /// Width of a word's own vector (the vectors file's width when one is given).
    public var wordDim = 50
    /// Width of the vector of a word's last three letters, which carries unknown words.
    public var suffixDim = 16
    /// Width of the vector of a word's shape (capitalized, number, punctuation, …).
    public var shapeDim = 8
    /// LSTM state width per direction (a multiple of 16). 192 beat 96 by 0.7 dev F1 with
    /// the hinge loss (RESULTS.md, "Parsing plain text").
    public var hidden = 192
    /// Stacked BiLSTM layers (1 or 2); layer 2 reads both directions of layer 1.
    public var layers = 1
    /// Hidden ReLU units of the span scorer (a multiple of 16).
    public var spanHidden = 256
    /// Output channels of the character encoder (`CharacterEncoder`), a multiple of 16;
    /// 0: no character encoder (the parser is then exactly the one without this setting).
    public var charChannels = 0
    /// Width of a character's vector in the character encoder (used when `charChannels` > 0).
    public var charDim = 16

    public init() {}

    /// Whether words are also read through their characters.
    public var hasCharacters: Bool { charChannels > 0 }

    /// Width of one LSTM input row: the word's vectors side by side (and its character
    /// encoding), padded to SIMD width.
    public var inputWidth: Int { padded(wordDim + suffixDim + shapeDim + charChannels) }

    /// Why these sizes cannot be used, or nil.
    public var problem: String? {
        if wordDim < 1 || suffixDim < 1 || shapeDim < 1 { return "embedding widths must be positive" }
        if hidden < 16 || hidden % 16 != 0 || hidden > 1024 {
            return "LSTM width \(hidden) is not a multiple of 16 in 16...1024"
        }
        if layers < 1 || layers > 2 { return "LSTM layers \(layers) is not 1 or 2" }
        if spanHidden < 16 || spanHidden % 16 != 0 || spanHidden > 4096 {
            return "span scorer width \(spanHidden) is not a multiple of 16 in 16...4096"
        }
        if wordDim > 4096 || suffixDim > 1024 || shapeDim > 1024 { return "embedding width too large" }
        if charChannels < 0 || charChannels % 16 != 0 || charChannels > 1024 {
            return "character channels \(charChannels) is not 0 or a multiple of 16 up to 1024"
        }
        if hasCharacters && (charDim < 1 || charDim > 256) {
            return "character vector width \(charDim) is not in 1...256"
        }
        return nil
    }
}
