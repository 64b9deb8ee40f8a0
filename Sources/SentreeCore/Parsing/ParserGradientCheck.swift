/// Checks the parser's hand-written backward pass against finite differences, in Float64,
/// on random sentences with random gold trees (`sentree parser gradcheck`, and the tests).
public enum ParserGradientCheck {
    public struct TensorResult: Sendable {
        public let name: String
        public let count: Int
        public let maxRelativeError: Double
        /// Parameters left out because a step of ±2ε moved a span ReLU across its kink, or
        /// changed a loss-augmented tree (the hinge's kink), where the loss has no derivative
        /// and a finite difference means nothing.
        public let atKinks: Int
    }

    public struct Report: Sendable {
        public let tensors: [TensorResult]
        public let threshold: Double
        public var overall: Double { tensors.map(\.maxRelativeError).max() ?? 0 }
        public var passed: Bool { overall < threshold }
    }

    /// Checks every parameter of a small parser (LSTM width `hidden`, scorer width
    /// `spanHidden`, both multiples of 16; `charChannels` channels of `charDim`-wide character
    /// vectors, 0 for no character encoder) on `sentences` random sentences of 2–9 words.
    ///
    /// Weights are drawn at scale ~0.5 so ReLU pre-activations sit far from the kink relative
    /// to ε; the derivative is the fourth-order centred difference.
    public static func run(
        hidden: Int = 16, spanHidden: Int = 16, layers: Int = 1, charChannels: Int = 16, charDim: Int = 3,
        sentences: Int = 4, seed: UInt64 = 17, epsilon: Double = 1e-4, threshold: Double = 1e-6,
        loss: ParserLoss = .hinge
    ) -> Report {
        var g = SplitMix64(seed: seed)
        var config = ParserConfig()
        config.wordDim = 3; config.suffixDim = 2; config.shapeDim = 2
        config.hidden = hidden; config.spanHidden = spanHidden; config.layers = layers
        config.charChannels = charChannels; config.charDim = charDim
        // "é" and the one-letter words exercise a scalar beyond ASCII and the shortest windows.
        let vocabulary = ["good", "Bad", "film", "the", "3", ",", "-LRB-", "acting", "café", "a"]
        var tokens: [[String]] = []
        var gold: [[Span]] = []
        for _ in 0 ..< sentences {
            let n = 2 + Int(g.next() % 8)
            tokens.append((0 ..< n).map { _ in vocabulary[Int(g.next() % UInt64(vocabulary.count))] })
            let tree = BinaryTree(words: n) { i, j in i + 1 + Int(g.next() % UInt64(j - i - 1)) }
            gold.append(tree.scoredSpans)
        }
        // Half the words are left out of the vocabulary, so <unk> rows are exercised too.
        // (Characters seen once are unknown too.)
        let features = ParserFeatures.build(
            from: tokens.map { Array($0.prefix($0.count / 2 + 1)) }, characters: config.hasCharacters)
        let layout = ParserLayout(
            config: config, wordCount: features.words.count,
            suffixCount: features.suffixes.count, characterCount: features.characters?.count ?? 0)
        let used = config.wordDim + config.suffixDim + config.shapeDim + config.charChannels
        var theta = [Double](repeating: 0, count: layout.count)
        for t in layout.tensors {
            let columns = t.shape.last!
            for k in 0 ..< t.shape.reduce(1, *) {
                // The first layer's Wx rows past the real inputs read zero padding and stay zero.
                let padding = ["forward_wx", "backward_wx"].contains(t.name) && k / columns >= used
                theta[t.offset + k] = padding ? 0 : g.symmetric(0.5)
            }
        }
        let batch = SentenceBatch(tokens.map(features.encode))
        let charts = SpanNetwork<Double>.goldCharts(batch, spans: gold)
        let network = SpanNetwork<Double>(layout: layout)
        let scale = 1 / Double(sentences)
        func objective(_ p: [Double], gradient: inout [Double]) -> Double {
            p.withUnsafeBufferPointer { p in
                gradient.withUnsafeMutableBufferPointer { grad in
                    network.run(batch, p.baseAddress!)
                    return network.lossAndGradient(
                        batch, gold: charts, scale: scale, loss: loss,
                        p.baseAddress!, grad.baseAddress!)
                }
            }
        }
        /// Which span pre-activations are positive after the last `objective`.
        func signs() -> [Bool] {
            var out: [Bool] = []
            theta.withUnsafeBufferPointer { p in
                network.scorer.projected.withUnsafeBufferPointer { pb in
                    let w = network.scorer.stride
                    for s in 0 ..< batch.count {
                        let n = batch.sentences[s].count
                        let base = pb.baseAddress! + batch.fenceStart[s] * w
                        for i in 0 ..< n {
                            for j in i + 2 ..< n + 1 where j - i < n {
                                var c = 0
                                while c < config.spanHidden {
                                    let a = network.scorer.preActivation(
                                        base + i * w, base + j * w, c, p.baseAddress!, layout: layout)
                                    for u in 0 ..< laneWidth { out.append(a[u] > 0) }
                                    c += laneWidth
                                }
                            }
                        }
                    }
                }
            }
            return out
        }
        var analytic = [Double](repeating: 0, count: layout.count)
        _ = objective(theta, gradient: &analytic)
        let reference = signs()
        // A step that changes a loss-augmented tree crosses the hinge's kink, as a sign flip
        // crosses a ReLU's.
        let referenceTrees = network.scorer.violators
        // So does one that changes the window winning a character max.
        let referenceWinners = network.characters?.argmax
        var scratch = analytic
        var results: [TensorResult] = []
        for t in layout.tensors {
            let count = t.shape.reduce(1, *)
            var worst = 0.0, kinks = 0
            for i in t.offset ..< t.offset + count {
                let saved = theta[i]
                var crossed = false
                func at(_ k: Double) -> Double {
                    theta[i] = saved + k * epsilon
                    defer { theta[i] = saved }
                    let value = objective(theta, gradient: &scratch)
                    if signs() != reference || network.scorer.violators != referenceTrees
                        || network.characters?.argmax != referenceWinners
                    {
                        crossed = true
                    }
                    return value
                }
                let numeric = (at(-2) - 8 * at(-1) + 8 * at(1) - at(2)) / (12 * epsilon)
                if crossed { kinks += 1; continue }
                worst = max(worst, abs(analytic[i] - numeric) / max(abs(analytic[i]), abs(numeric), 1e-4))
            }
            results.append(TensorResult(name: t.name, count: count, maxRelativeError: worst, atKinks: kinks))
        }
        return Report(tensors: results, threshold: threshold)
    }
}
