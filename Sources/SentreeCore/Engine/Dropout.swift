/// The training step's noise: inverted dropout on the softmax input, and word dropout on the
/// leaves (`WordDropout`, when `words` is set).
///
/// Every unit of the vector a node's classifier reads is kept with probability 1 − rate and
/// then scaled by 1/(1 − rate), so its expectation is unchanged and evaluation needs no
/// rescaling. Evaluation, predictions and the dashboard never apply it.
///
/// The mask of a node depends only on (seed, step, node): the node's index in the treebank
/// names its tree and its place in it. So it does not depend on how a minibatch is split
/// across threads or scheduled into levels, and any thread count draws the same mask. It
/// does not depend on the parameters either, which makes it a constant of the loss for the
/// finite-difference check.
public struct Dropout: Sendable, Equatable {
    /// Probability of dropping a unit, in [0, 1).
    public var rate: Double
    public var seed: UInt64
    /// The training step (the run's global step, so a resumed run draws the same masks).
    public var step: UInt64
    /// Word dropout on the leaves, or `nil` for none.
    public var words: WordDropout?

    /// Whether `rate` is a dropout rate: at least 0 and below 1 (1 would drop everything).
    public static func isValid(rate: Double) -> Bool { rate >= 0 && rate < 1 }

    /// What a user is told about a rate that `isValid` refuses.
    public static func invalidRateMessage(_ rate: Double) -> String {
        "dropout must be at least 0 and below 1 (got \(rate))"
    }

    public init(rate: Double, seed: UInt64, step: UInt64, words: WordDropout? = nil) {
        precondition(Self.isValid(rate: rate), Self.invalidRateMessage(rate))
        self.rate = rate
        self.seed = seed
        self.step = step
        self.words = words
    }

    /// The noise of one training step, or `nil` when there is none (no unit dropped, no word
    /// replaced), so the engine runs its plain path.
    public static func forStep(_ step: UInt64, rate: Double, seed: UInt64, words: WordDropout?) -> Dropout? {
        rate > 0 || words != nil ? Dropout(rate: rate, seed: seed, step: step, words: words) : nil
    }

    /// Whether any unit can be dropped (rate 0 runs the plain path, bit for bit).
    var isActive: Bool { rate > 0 }

    /// The word leaf `node` reads this step: its own, or `<unk>` if word dropout replaces it.
    @inline(__always)
    func leafWord(_ word: Int32, node: Int) -> Int32 {
        guard let words else { return word }
        return words.leafWord(word, node: node, seed: seed, step: step)
    }

    /// Writes node `node`'s mask for `width` units into `mask`: 0 (dropped) or 1/(1 − rate).
    func fillMask<T: ModelScalar>(node: Int, width: Int, into mask: UnsafeMutablePointer<T>) {
        // A separate stream per step, then per node; the constant keeps these streams apart
        // from the per-epoch shuffling streams of the same seed.
        var stepStream = SplitMix64.stream(seed: seed ^ 0x6D5A_56DA_0B3E_C9F1, step)
        var g = SplitMix64.stream(seed: stepStream.next(), UInt64(node))
        // 32 bits per unit: a drop when the bits fall below rate · 2³².
        let threshold = UInt64(rate * 0x1.0p32)
        let keep = T(1 / (1 - rate))
        var j = 0
        while j < width {
            let bits = g.next()
            mask[j] = bits & 0xFFFF_FFFF < threshold ? 0 : keep
            if j + 1 < width { mask[j + 1] = bits >> 32 < threshold ? 0 : keep }
            j += 2
        }
    }
}
