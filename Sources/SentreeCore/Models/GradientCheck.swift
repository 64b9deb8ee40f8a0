import RealModule

/// Centered finite-difference check of the hand-written gradients, in Float64.
///
/// Runs the production forward/backward (the same generic code the trainer runs in Float32)
/// instantiated with Double on small random trees, and compares every parameter's analytic
/// derivative of J (cross-entropy + L2, see `Objective.swift`) with
/// (J(θ+ε) − J(θ−ε)) / 2ε.
public enum GradientCheck {
    /// Largest relative error of one tensor.
    public struct TensorResult: Sendable {
        public let name: String
        public let count: Int
        public let maxRelativeError: Double
    }

    public struct Report: Sendable {
        public let model: ModelKind
        public let tensors: [TensorResult]
        public let threshold: Double
        public var overall: Double { tensors.map(\.maxRelativeError).max() ?? 0 }
        public var passed: Bool { overall < threshold }
    }

    /// Relative error with a floor on the denominator: derivatives smaller than `floor` are
    /// in effect compared absolutely (tolerance threshold·floor = 1e-10), because the
    /// numeric derivative itself carries ~1e-11 of rounding noise (a word no tree uses has
    /// an exact 0 analytic derivative and a ±2e-11 numeric one).
    public static func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-4) -> Double {
        abs(a - b) / max(abs(a), abs(b), floor)
    }

    /// Checks every parameter of a model of the given shape on `trees` random trees.
    /// (`inputDim`: the word-vector width, `nil` for `dim`; give models with input weights a
    /// different one, so a mix-up of the two widths cannot pass.)
    ///
    /// Parameters are drawn at scale ~0.5 with random biases, so ReLU pre-activations sit
    /// far from the kink at 0 relative to ε (at a 0.01 init they would not; see notes).
    ///
    /// With `dropout` > 0 every pass uses the same mask (it depends on the seed, step and
    /// node, never on the parameters), so it is a constant of the checked objective; so is
    /// the choice of leaves that `wordDropout` (α) replaces by `<unk>`, and the masks of
    /// `leafDropout` and `stateDropout`. `classifierHidden` > 0 adds the classifier's hidden
    /// layer of that width (its `Wc` and `bc` are checked like every tensor).
    public static func run(
        kind: ModelKind, dim: Int = 7, middle: Int = 6, inputDim: Int? = nil,
        vocabularySize: Int = 11,
        trees: Int = 4, l2: Double = 1e-2, epsilon: Double? = nil, dropout: Double = 0,
        wordDropout: Double = 0, leafDropout: Double = 0, stateDropout: Double = 0,
        classifierHidden: Int = 0, classes: Int = 5,
        threads: Int = 1, seed: UInt64 = 17, threshold: Double = 1e-6
    ) -> Report {
        let epsilon = epsilon ?? kind.model.gradientCheckStep
        var g = SplitMix64(seed: seed)
        let config = ModelConfig(
            kind: kind, dim: dim, middle: middle, inputDim: inputDim,
            vocabularySize: vocabularySize, classes: classes,
            classifierHidden: classifierHidden > 0 ? classifierHidden : nil)
        let layout = ParameterLayout(config)
        let data = randomTreebank(
            trees: trees, vocabularySize: vocabularySize, classes: classes, generator: &g)
        var theta = (0 ..< layout.count).map { _ in 0.5 * g.normal() }
        // The RNTN's tensor term sums (2d)² products: at 0.5 per entry every tanh saturates and
        // the derivatives sink into the differences' rounding noise, so V is drawn 1/(2d) as large.
        if let V = layout.tensor(named: "V") {
            for i in V.range { theta[i] /= Double(2 * dim) }
        }
        let model = TreeModel<Double>(layout: layout, parameters: theta, threads: threads)
        let all = Array(0 ..< data.count)
        let words =
            wordDropout > 0
            ? WordDropout(alpha: wordDropout, train: data, vocabularySize: vocabularySize) : nil
        let mask = Dropout.forStep(
            0, rate: dropout, seed: seed, words: words, leafRate: leafDropout, stateRate: stateDropout)

        func objective(_ p: [Double]) -> Double {
            model.load(parameters: p)
            let (loss, _, _) = model.lossAndGradient(trees: all, data: data, parameters: p, dropout: mask)
            return loss + layout.l2Penalty(p, l2: l2)
        }

        model.load(parameters: theta)
        var (_, _, gradient) = model.lossAndGradient(trees: all, data: data, parameters: theta, dropout: mask)
        gradient.finishObjective(scale: 1, l2: l2, parameters: theta)
        let analytic = gradient.densified()

        var results: [TensorResult] = []
        for t in layout.tensors {
            var worst = 0.0
            for i in t.range {
                let saved = theta[i]
                func at(_ k: Double) -> Double {
                    theta[i] = saved + k * epsilon
                    defer { theta[i] = saved }
                    return objective(theta)
                }
                // Fourth-order centered stencil: truncation O(ε⁴), so ε can be large enough
                // that rounding of J (ulp(J)/ε) stays far below the derivatives checked.
                let numeric = (at(-2) - 8 * at(-1) + 8 * at(1) - at(2)) / (12 * epsilon)
                worst = max(worst, relativeError(analytic[i], numeric))
            }
            results.append(TensorResult(name: t.name, count: t.count, maxRelativeError: worst))
        }
        return Report(model: kind, tensors: results, threshold: threshold)
    }

    /// Random binary trees with random labels below `classes` (a few nodes left unlabelled)
    /// and words.
    static func randomTreebank(
        trees: Int, vocabularySize: Int, classes: Int = 5, generator g: inout SplitMix64
    ) -> EncodedTreebank {
        var tb = Treebank(source: "<gradcheck>")
        var words: [Int32] = []
        for t in 0 ..< trees {
            let leaves = 2 + Int(g.next() % 6)
            let start = tb.nodeCount
            // Builds a random shape over `count` leaves in post-order; returns the local index.
            func build(_ count: Int) -> Int32 {
                let label: UInt8 =
                    g.next() % 9 == 0 ? Treebank.unlabeled : UInt8(g.next() % UInt64(classes))
                if count == 1 {
                    tb.left.append(-1); tb.right.append(-1)
                    tb.leafToken.append(Int32(tb.tokens.count)); tb.tokens.append("w")
                    words.append(Int32(g.next() % UInt64(vocabularySize)))
                } else {
                    let split = 1 + Int(g.next() % UInt64(count - 1))
                    let l = build(split), r = build(count - split)
                    tb.left.append(l); tb.right.append(r)
                    tb.leafToken.append(-1); words.append(-1)
                }
                tb.labels.append(label)
                return Int32(tb.nodeCount - 1 - start)
            }
            _ = build(leaves)
            tb.treeStart.append(Int32(tb.nodeCount))
            tb.lines.append(Int32(t + 1))
        }
        return EncodedTreebank(tb, words: words)
    }
}
