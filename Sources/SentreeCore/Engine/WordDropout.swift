/// Word dropout: during training a leaf now and then reads `<unk>` instead of its word, the
/// rarer the word the more often.
///
/// A word seen c times in the training trees is replaced with probability α/(c + α), the
/// word dropout of Kiperwasser and Goldberg (2016). The vocabulary comes from the training
/// set, so without it `<unk>` never trains: its row keeps its random initial value, yet it is
/// what every dev or test word that training never saw reads (5% of SST's dev tokens, in 54%
/// of its sentences). Rare training words are the ones most like those; standing in for them
/// teaches `<unk>` a vector for "a word the model does not know", and keeps the model from
/// leaning on the vectors of words it saw once.
///
/// Like `Dropout`'s masks, a leaf's draw depends only on (seed, step, node), so every thread
/// count and a resumed run draw the same; and not on the parameters, so the finite-difference
/// check sees a fixed substitution.
public struct WordDropout: Sendable, Equatable {
    /// α: the count at which a word is replaced half the time.
    public let alpha: Double
    /// Per word id, α/(c + α) scaled to 2³² (a draw of 32 bits below it replaces the word);
    /// 0 for `<unk>` itself.                                                              [V]
    let thresholds: [UInt64]

    /// Whether `alpha` can be used: zero (no word dropout) or a positive finite number.
    public static func isValid(alpha: Double) -> Bool { alpha >= 0 && alpha.isFinite }

    /// What a user is told about an `alpha` that `isValid` refuses.
    public static func invalidAlphaMessage(_ alpha: Double) -> String {
        "word dropout's α must be zero or a positive number (got \(alpha))"
    }

    /// Word dropout with the given α for a vocabulary whose word `i` occurs `counts[i]` times
    /// in the training trees (a count of 0 is always replaced: such a word never trains).
    public init(alpha: Double, counts: [Int]) {
        precondition(Self.isValid(alpha: alpha), Self.invalidAlphaMessage(alpha))
        self.alpha = alpha
        thresholds = counts.indices.map { word in
            word == 0 || alpha == 0
                ? 0 : UInt64((alpha / (Double(counts[word]) + alpha) * 0x1.0p32).rounded())
        }
    }

    /// Word dropout with the given α, counting the words of the training trees `train`.
    public init(alpha: Double, train: EncodedTreebank, vocabularySize: Int) {
        var counts = [Int](repeating: 0, count: vocabularySize)
        for word in train.words where word >= 0 { counts[Int(word)] += 1 }
        self.init(alpha: alpha, counts: counts)
    }

    /// The probability that a training leaf of `word` reads `<unk>`.
    public func replacementProbability(of word: Int) -> Double {
        Double(thresholds[word]) * 0x1.0p-32
    }

    /// The word leaf `node` reads at training step `step` of a run with seed `seed`.
    @inline(__always)
    func leafWord(_ word: Int32, node: Int, seed: UInt64, step: UInt64) -> Int32 {
        let i = Int(word)
        guard i > 0, i < thresholds.count, thresholds[i] > 0 else { return word }
        // Streams of their own, apart from the dropout masks' and the shuffling's.
        var stepStream = SplitMix64.stream(seed: seed ^ 0x3C6E_F372_FE94_F82B, step)
        var g = SplitMix64.stream(seed: stepStream.next(), UInt64(node))
        return replaces(word, draw: UInt32(truncatingIfNeeded: g.next())) ? 0 : word
    }

    /// Whether a token of `word` reads `<unk>`, given a uniform 32-bit `draw`.
    @inline(__always)
    func replaces(_ word: Int32, draw: UInt32) -> Bool {
        let i = Int(word)
        return i > 0 && i < thresholds.count && UInt64(draw) < thresholds[i]
    }
}
