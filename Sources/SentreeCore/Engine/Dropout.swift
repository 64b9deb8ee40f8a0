/// The training step's noise: inverted dropout on the classifier input, on the leaves' word
/// vectors (`leafRate`) and on the children's states as their parents read them
/// (`stateRate`), and word dropout on the leaves (`WordDropout`, when `words` is set).
///
/// Every unit of the vector a node's classifier reads is kept with probability 1 − rate and
/// then scaled by 1/(1 − rate), so its expectation is unchanged and evaluation needs no
/// rescaling. Evaluation, predictions and the dashboard never apply it.
///
/// The mask of a node depends only on (seed, step, node): the node's index in the treebank
/// names its tree and its place in it. So it does not depend on how a minibatch is split
/// across threads or scheduled into levels, and any thread count draws the same mask. It
/// does not depend on the parameters either, which makes it a constant of the loss for the
/// finite-difference check. Each of the three masks draws from its own stream, so one rate
/// never moves another's mask (and the classifier's masks are those of runs older than the
/// other two).
public struct Dropout: Sendable, Equatable {
    /// Probability of dropping a unit, in [0, 1).
    public var rate: Double
    public var seed: UInt64
    /// The training step (the run's global step, so a resumed run draws the same masks).
    public var step: UInt64
    /// Word dropout on the leaves, or `nil` for none.
    public var words: WordDropout?
    /// Probability of dropping a unit of a leaf's word vector (the leaf input), in [0, 1).
    public var leafRate: Double
    /// Probability of dropping a unit of a child's state `h` as its parent reads it, in [0, 1).
    public var stateRate: Double

    /// Whether `rate` is a dropout rate: at least 0 and below 1 (1 would drop everything).
    public static func isValid(rate: Double) -> Bool { rate >= 0 && rate < 1 }

    /// What a user is told about a rate that `isValid` refuses.
    public static func invalidRateMessage(_ rate: Double) -> String {
        "dropout must be at least 0 and below 1 (got \(rate))"
    }

    public init(
        rate: Double, seed: UInt64, step: UInt64, words: WordDropout? = nil, leafRate: Double = 0,
        stateRate: Double = 0
    ) {
        for r in [rate, leafRate, stateRate] {
            precondition(Self.isValid(rate: r), Self.invalidRateMessage(r))
        }
        self.rate = rate
        self.seed = seed
        self.step = step
        self.words = words
        self.leafRate = leafRate
        self.stateRate = stateRate
    }

    /// The noise of one training step, or `nil` when there is none (no unit dropped, no word
    /// replaced), so the engine runs its plain path.
    public static func forStep(
        _ step: UInt64, rate: Double, seed: UInt64, words: WordDropout?, leafRate: Double = 0,
        stateRate: Double = 0
    ) -> Dropout? {
        guard rate > 0 || words != nil || leafRate > 0 || stateRate > 0 else { return nil }
        return Dropout(
            rate: rate, seed: seed, step: step, words: words, leafRate: leafRate, stateRate: stateRate)
    }

    /// Whether any unit of the classifier input can be dropped (rate 0 runs the plain path,
    /// bit for bit).
    var isActive: Bool { rate > 0 }
    /// Whether any unit of a leaf's word vector can be dropped.
    var dropsLeaves: Bool { leafRate > 0 }
    /// Whether any unit of a child's state can be dropped on its way to the parent.
    var dropsState: Bool { stateRate > 0 }

    /// The word leaf `node` reads this step: its own, or `<unk>` if word dropout replaces it.
    @inline(__always)
    func leafWord(_ word: Int32, node: Int) -> Int32 {
        guard let words else { return word }
        return words.leafWord(word, node: node, seed: seed, step: step)
    }

    /// Writes node `node`'s classifier mask for `width` units into `mask`: 0 (dropped) or
    /// 1/(1 − rate).
    func fillMask<T: ModelScalar>(node: Int, width: Int, into mask: UnsafeMutablePointer<T>) {
        Self.fill(
            rate: rate, salt: 0x6D5A_56DA_0B3E_C9F1, seed: seed, step: step, node: node, width: width, mask)
    }

    /// Writes leaf `node`'s mask on its word vector, `width` units: 0 or 1/(1 − leafRate).
    func fillLeafMask<T: ModelScalar>(node: Int, width: Int, into mask: UnsafeMutablePointer<T>) {
        Self.fill(
            rate: leafRate, salt: 0x2F1B_8C4E_93A7_5D61, seed: seed, step: step, node: node, width: width,
            mask)
    }

    /// Writes the mask on node `node`'s state as its parent reads it, `width` units: 0 or
    /// 1/(1 − stateRate).
    func fillStateMask<T: ModelScalar>(node: Int, width: Int, into mask: UnsafeMutablePointer<T>) {
        Self.fill(
            rate: stateRate, salt: 0x91E4_07B3_6AC2_F85D, seed: seed, step: step, node: node, width: width,
            mask)
    }

    private static func fill<T: ModelScalar>(
        rate: Double, salt: UInt64, seed: UInt64, step: UInt64, node: Int, width: Int,
        _ mask: UnsafeMutablePointer<T>
    ) {
        // A separate stream per step, then per node; the salt keeps these streams apart
        // from the per-epoch shuffling streams of the same seed, and the three masks apart.
        var stepStream = SplitMix64.stream(seed: seed ^ salt, step)
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
