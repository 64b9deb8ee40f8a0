import Testing
@testable import SentreeCore

@Suite struct ModelTests {
    /// Every parameter of every model against 4th-order centered differences in Float64,
    /// at widths below and above one SIMD chunk, with one and three worker threads. The
    /// second width doubles as the Tree-LSTM's word-vector width (≠ d, so a mix-up fails).
    @Test(arguments: ModelKind.allCases, [(7, 6, 1), (18, 17, 3)])
    func gradientCheck(kind: ModelKind, shape: (Int, Int, Int)) {
        let inputDim = kind.defaultInputDim == nil ? nil : shape.1
        let report = GradientCheck.run(
            kind: kind, dim: shape.0, middle: shape.1, inputDim: inputDim, threads: shape.2)
        for t in report.tensors {
            #expect(t.maxRelativeError < 1e-6, "\(kind) \(t.name): \(t.maxRelativeError)")
        }
        #expect(report.passed)
        #expect(
            report.tensors.map(\.name)
                == ParameterLayout(
                    ModelConfig(
                        kind: kind, dim: shape.0, middle: shape.1, inputDim: inputDim, vocabularySize: 11)
                ).tensors.map(\.name))
    }

    /// The check is able to fail: a gradient that is off by the L2 term is caught.
    @Test func gradientCheckDetectsAWrongGradient() {
        var g = SplitMix64(seed: 5)
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 5, vocabularySize: 7))
        let data = GradientCheck.randomTreebank(trees: 2, vocabularySize: 7, generator: &g)
        let theta = (0 ..< layout.count).map { _ in 0.5 * g.normal() }
        let model = TreeModel<Double>(layout: layout, parameters: theta)
        var (_, _, gradient) = model.lossAndGradient(trees: [0, 1], data: data, parameters: theta)
        gradient.finishObjective(scale: 1, l2: 0, parameters: theta)  // analytic without L2 …
        let analytic = gradient.densified()
        let i = layout.W.offset, eps = 1e-4
        func objective(_ p: [Double]) -> Double {
            model.load(parameters: p)
            return model.lossAndGradient(trees: [0, 1], data: data, parameters: p).loss
                + layout.l2Penalty(p, l2: 0.1)
        }
        var plus = theta, minus = theta
        plus[i] += eps; minus[i] -= eps
        let numeric = (objective(plus) - objective(minus)) / (2 * eps)  // … numeric with L2
        #expect(GradientCheck.relativeError(analytic[i], numeric) > 1e-3)
    }

    /// Splitting a minibatch over threads changes only the summation order.
    @Test func threadsGiveTheSameGradient() throws {
        let tb = try TestTreebanks.treebank(count: 30, seed: 9)
        let vocabulary = Vocabulary.build(from: tb, lowercase: true)
        let data = EncodedTreebank(tb, words: vocabulary.encode(tb))
        let layout = ParameterLayout(
            ModelConfig(kind: .rnn2, dim: 9, middle: 5, vocabularySize: vocabulary.count))
        let theta = layout.initialParameters(seed: 3).map(Double.init)
        let one = TreeModel<Double>(layout: layout, parameters: theta, threads: 1)
        let three = TreeModel<Double>(layout: layout, parameters: theta, threads: 3)
        let trees = Array(0 ..< 30)
        let a = one.lossAndGradient(trees: trees, data: data, parameters: theta)
        let b = three.lossAndGradient(trees: trees, data: data, parameters: theta)
        #expect(abs(a.loss - b.loss) < 1e-9)
        #expect(a.nodes == b.nodes)
        for (x, y) in zip(a.gradient.densified(), b.gradient.densified()) { #expect(abs(x - y) < 1e-9) }
    }

    /// Metrics follow the definitions: fine = argmax, binary = P(3)+P(4) > P(0)+P(1), gold 2 skipped.
    @Test func metricsCounting() {
        var m = Metrics()
        m.count(gold: 4, predicted: 3, positive: true, isRoot: true)  // fine wrong, binary right
        m.count(gold: 2, predicted: 2, positive: false, isRoot: false)  // fine right, no binary
        m.count(gold: 0, predicted: 0, positive: true, isRoot: false)  // fine right, binary wrong
        m.count(gold: Treebank.unlabeled, predicted: 1, positive: true, isRoot: false)  // ignored
        #expect(m.nodes == 3 && m.roots == 1)
        #expect(m.fineAll == 2.0 / 3 && m.fineRoot == 0)
        #expect(m.binaryRoot == 1 && m.binaryRootTotal == 1)
        #expect(m.binaryAll == 0.5 && m.binaryAllTotal == 2)
        #expect(m.confusionAll[4][3] == 1 && m.confusionRoot[4][3] == 1)
    }

    /// Evaluation counts do not depend on the thread count; a snapshot predicts the same.
    @Test func evaluationIsThreadIndependentAndMatchesSnapshot() throws {
        let tb = try TestTreebanks.treebank(count: 25, seed: 4)
        let vocabulary = Vocabulary.build(from: tb, lowercase: true)
        let data = EncodedTreebank(tb, words: vocabulary.encode(tb))
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 8, vocabularySize: vocabulary.count))
        let p = layout.initialParameters(seed: 2)
        let (m1, o1) = TreeModel<Float>(layout: layout, parameters: p, threads: 1).evaluate(
            data, parameters: p)
        let (m2, o2) = TreeModel<Float>(layout: layout, parameters: p, threads: 4).evaluate(
            data, parameters: p)
        #expect(m1.confusionAll == m2.confusionAll && m1.confusionRoot == m2.confusionRoot)
        #expect(o1 == o2)
        #expect(m1.trees == 25 && m1.nodes == tb.nodeCount)
        let snapshot = ModelSnapshot(layout: layout, parameters: p, epoch: 0, step: 0)
        for t in [0, 7, 24] {
            let prediction = snapshot.predict(tree: t, in: tb, wordIDs: data.words)
            #expect(prediction.predicted.last == o1[t].predictedRoot)
            for dist in prediction.probabilities { #expect(abs(dist.reduce(0, +) - 1) < 1e-5) }
        }
    }
}
