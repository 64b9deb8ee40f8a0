import Foundation
import Testing

@testable import SentreeCore

/// Seed ensembles: the mean of the members' node distributions, scored as one model's.
@Suite struct EnsembleTests {
    /// Random weights at `scale`, large enough that predictions vary from node to node, small
    /// enough that no probability underflows (the ensemble's loss is −log of a probability).
    static func parameters(_ layout: ParameterLayout, seed: UInt64, scale: Double) -> [Float] {
        var g = SplitMix64(seed: seed)
        return (0 ..< layout.count).map { _ in Float(scale * g.normal()) }
    }

    /// An ensemble of one scores exactly as the model's own evaluation, and the flat node
    /// distributions are, tree by tree, what the per-tree forward pass predicts.
    @Test(arguments: [(ModelKind.rnn, 0.3), (.rntn, 0.3), (.treelstm, 1.0)])
    func anEnsembleOfOneIsTheModel(kind: ModelKind, scale: Double) throws {
        let tb = try TestTreebanks.treebank(count: 60, seed: 9)
        let words = Vocabulary.build(from: tb, lowercase: true).encode(tb)
        let layout = ParameterLayout(ModelConfig(kind: kind, dim: 6, vocabularySize: Int(words.max()!) + 1))
        let theta = Self.parameters(layout, seed: 4, scale: scale)
        let data = EncodedTreebank(tb, words: words)
        let model = TreeModel<Float>(layout: layout, parameters: theta, threads: 2)
        let (expected, _) = model.evaluate(data, parameters: theta)
        let p = model.nodeProbabilities(data, parameters: theta)
        #expect(p.count == tb.nodeCount * 5)
        let m = Ensemble.metrics(of: Ensemble.average([p]), classes: 5, treebank: tb)
        #expect(m.confusionAll == expected.confusionAll && m.confusionRoot == expected.confusionRoot)
        #expect(
            m.binaryAllCorrect == expected.binaryAllCorrect && m.binaryAllTotal == expected.binaryAllTotal)
        #expect(m.binaryRootCorrect == expected.binaryRootCorrect)
        #expect(m.byLength == expected.byLength && m.trees == expected.trees)
        #expect(
            abs(m.lossSum - expected.lossSum) <= 1e-4 * expected.lossSum, "\(m.lossSum) \(expected.lossSum)")
        // Predictions vary, so equal counts are not equal by accident of a constant model.
        let predictedClasses = (0 ..< 5).filter { c in m.confusionAll.contains { $0[c] > 0 } }
        #expect(predictedClasses.count > 1, "\(m.confusionAll)")
        let snapshot = ModelSnapshot(layout: layout, parameters: theta, epoch: 0, step: 0)
        for t in [0, 17, 59] {
            let one = snapshot.predict(tree: t, in: tb, wordIDs: words)
            #expect(Ensemble.average([one]) == one)
            let r = tb.nodes(of: t)
            let flat = Array(p[r.lowerBound * 5 ..< r.upperBound * 5])
            for (a, b) in zip(flat, one.probabilities.joined()) { #expect(abs(a - b) < 1e-6, "tree \(t)") }
        }
    }

    /// A model whose every node's distribution is `distribution`: all weights zero but the
    /// classifier's bias, so softmax(U h + bs) = softmax(log distribution).
    static func constantModel(_ distribution: [Float], vocabulary: Int) -> (ParameterLayout, [Float]) {
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 3, vocabularySize: vocabulary))
        var theta = [Float](repeating: 0, count: layout.count)
        for (k, i) in layout.bs.range.enumerated() { theta[i] = log(max(distribution[k], 1e-7)) }
        return (layout, theta)
    }

    /// Two hand-made models that both get the root wrong (classes 0 and 2) while their mean
    /// puts the most mass on the gold class 1: averaging changes the prediction and the score.
    @Test func averagingTwoModelsChangesThePrediction() throws {
        let tb = try Treebank.parse("(1 (1 dull) (2 film))\n", source: "hand")
        let words: [Int32] = [1, 2, -1]
        let a = Self.constantModel([0.40, 0.35, 0, 0.25, 0], vocabulary: 3)
        let b = Self.constantModel([0, 0.35, 0.40, 0.25, 0], vocabulary: 3)
        let data = EncodedTreebank(tb, words: words)
        let members = [a, b].map { layout, theta in
            TreeModel<Float>(layout: layout, parameters: theta).nodeProbabilities(data, parameters: theta)
        }
        let alone = members.map { Ensemble.metrics(of: $0, classes: 5, treebank: tb) }
        #expect(alone.map(\.fineRoot) == [0, 0], "\(alone.map(\.confusionRoot))")
        let mean = Ensemble.average(members)
        for k in mean.indices { #expect(abs(mean[k] - (members[0][k] + members[1][k]) / 2) < 1e-7) }
        let m = Ensemble.metrics(of: mean, classes: 5, treebank: tb)
        #expect(m.fineRoot == 1 && m.confusionRoot[1][1] == 1)
        #expect(m.confusionAll[1][1] == 2 && m.confusionAll[2][1] == 1, "\(m.confusionAll)")
        // Binary from the averaged distribution: 0.75 negative against 0.25 positive.
        #expect(m.binaryRootCorrect == 1 && m.binaryRootTotal == 1)
        // Gold 1, 2, 1 at "dull", "film", the root: −log of the averaged P(gold).
        #expect(abs(m.meanLoss - (-2 * log(0.35) - log(0.2)) / 3) < 1e-5, "\(m.meanLoss)")

        // The per-tree path of `predict` averages the same way.
        let predictions = [a, b].map { layout, theta in
            ModelSnapshot(layout: layout, parameters: theta, epoch: 0, step: 0)
                .predict(tree: 0, in: tb, wordIDs: words)
        }
        #expect(predictions.map { $0.predicted.last! } == [0, 2])
        let averaged = Ensemble.average(predictions)
        #expect(averaged.predicted == [1, 1, 1])
        for (x, y) in zip(averaged.probabilities.joined(), mean) { #expect(abs(x - y) < 1e-6) }
    }
}
