import Foundation
import Testing
@testable import SentreeCore

/// The optimizer's own settings: `classifierL2` and `wordL2` (each L2 term lands in the
/// gradient of its own tensors) and AdaGrad's `epsilon`.
@Suite struct OptimizerSettingsTests {
    let layout = ParameterLayout(ModelConfig(kind: .rntn, dim: 4, middle: 0, vocabularySize: 10))
    let touched: [Int32] = [2, 5]

    /// Parameters and one worker's gradient (rows 2 and 5 of L), all drawn at random.
    func setup() -> (start: [Float], shard: Gradient<Float>) {
        var g = SplitMix64(seed: 3)
        let start = (0 ..< layout.count).map { _ in Float(g.normal()) }
        var shard = Gradient<Float>(layout: layout)
        shard.dense = shard.dense.map { _ in Float(g.normal()) }
        shard.rows = touched
        shard.rowValues = (0 ..< touched.count * 4).map { _ in Float(g.normal()) }
        return (start, shard)
    }

    /// The update written out per parameter: scaled gradient plus `strength(tensor) · θ`.
    func expected(
        kind: OptimizerKind, epsilon: Float = Optimizer.defaultEpsilon,
        strength: (String) -> Float
    ) -> [Float] {
        let (start, shard) = setup()
        let (scale, lr): (Float, Float) = (0.5, 0.1)
        let full = shard.densified()
        var p = start
        for t in layout.tensors {
            for i in t.range {
                let row = (i - layout.L.offset) / 4
                if t.name == "L" && !touched.contains(Int32(row)) { continue }
                var g = full[i] * scale
                g += strength(t.name) * start[i]
                // Σg² starts at 1: from 0, AdaGrad's first step would be ±lr whatever the L2 term.
                p[i] =
                    kind == .adagrad
                    ? start[i] - lr * g / ((1 + g * g).squareRoot() + epsilon)
                    : start[i] - lr * g
            }
        }
        return p
    }

    func step(
        kind: OptimizerKind, l2: Float, classifier: Float?, words: Float,
        epsilon: Float = Optimizer.defaultEpsilon
    ) -> [Float] {
        var (p, shard) = setup()
        var optimizer = Optimizer(
            kind: kind, layout: layout,
            accumulator: [Float](repeating: 1, count: layout.count))
        optimizer.classifierL2 = classifier
        optimizer.wordL2 = words
        optimizer.epsilon = epsilon
        optimizer.step(&p, shards: [shard], scale: 0.5, l2: l2, learningRate: 0.1, pool: WorkerPool(size: 1))
        return p
    }

    @Test(arguments: [OptimizerKind.adagrad, .sgd])
    func eachTensorGetsItsOwnStrength(kind: OptimizerKind) {
        let strengths: [String: Float] = ["V": 0.01, "W": 0.01, "U": 0.002, "L": 0.003]
        #expect(
            step(kind: kind, l2: 0.01, classifier: 0.002, words: 0.003)
                == expected(kind: kind) { strengths[$0] ?? 0 })
    }

    /// Without the new strengths U takes `l2` and L none, as before they existed; with `l2` 0
    /// the classifier's own strength still applies.
    @Test func defaultsKeepTheOldUpdateAndZeroL2KeepsTheClassifierTerm() {
        let old: [String: Float] = ["V": 0.01, "W": 0.01, "U": 0.01]
        #expect(
            step(kind: .sgd, l2: 0.01, classifier: nil, words: 0) == expected(kind: .sgd) { old[$0] ?? 0 })
        #expect(
            step(kind: .sgd, l2: 0, classifier: 0.002, words: 0)
                == expected(kind: .sgd) { $0 == "U" ? 0.002 : 0 })
    }

    /// AdaGrad divides by √Σg² + ε with the optimizer's own ε; SGD ignores it.
    @Test func epsilonIsTheOptimizersOwn() {
        let strengths: [String: Float] = ["V": 0.01, "W": 0.01, "U": 0.01]
        let large = step(kind: .adagrad, l2: 0.01, classifier: nil, words: 0, epsilon: 0.01)
        #expect(large == expected(kind: .adagrad, epsilon: 0.01) { strengths[$0] ?? 0 })
        #expect(large != expected(kind: .adagrad) { strengths[$0] ?? 0 })
        #expect(
            step(kind: .sgd, l2: 0.01, classifier: nil, words: 0, epsilon: 0.01)
                == expected(kind: .sgd) { strengths[$0] ?? 0 })
    }

    /// A run.json from before the field decodes with no ε, which trains with the default.
    @Test func runsWithoutAnEpsilonKeepTheDefault() throws {
        var c = TrainingConfig()
        c.model = .rntn
        let json = try JSONEncoder().encode(c)
        var object = try #require(JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["adagradEpsilon"] == nil)
        object["adagradEpsilon"] = 0.001
        let decoded = try JSONDecoder().decode(
            TrainingConfig.self,
            from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.adagradEpsilon == 0.001 && decoded.adagradEpsilonDescription == "  ε 0.001")
        #expect(c.adagradEpsilon == nil && c.adagradEpsilonDescription == "")
        #expect(ModelKind.rntn.trainingDefaults.adagradEpsilon == 0.001)
        #expect(ModelKind.rnn.trainingDefaults.adagradEpsilon == nil)
    }

    /// The Tree-LSTM's recipe defaults and the RNTN's leaf dropout (RESULTS.md, "Recipe sweep").
    @Test func theTreeLSTMDefaultsToItsRecipe() {
        let t = ModelKind.treelstm.trainingDefaults
        #expect(t.leafDropout == 0.25 && t.stateDropout == 0.25)
        #expect(t.devEvery == .epochFraction(0.25) && t.patience == 12)
        #expect(t.learningRate == 0.05 && t.l2 == 1e-4)
        for kind in [ModelKind.rnn, .rnn2, .rntn] {
            let c = kind.trainingDefaults
            #expect(c.stateDropout == nil && c.devEvery == nil && c.patience == nil)
            #expect(c.leafDropout == (kind == .rntn ? 0.2 : nil))
        }
    }

    @Test func theHeaderNamesTheStrengthsThatDiffer() {
        var c = TrainingConfig()
        c.l2 = 0.001
        #expect(c.l2Description == "l2 0.001")
        c.l2Classifier = 0.001
        #expect(c.l2Description == "l2 0.001")
        c.l2Classifier = 0.0001; c.l2Words = 0.0001
        #expect(c.l2Description == "l2 0.001 (U 0.0001, words 0.0001)")
        c.l2Classifier = nil; c.l2Words = 0
        #expect(c.l2Description == "l2 0.001")
    }
}
