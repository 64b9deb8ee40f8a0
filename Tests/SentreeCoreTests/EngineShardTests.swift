import Testing
@testable import SentreeCore

/// Shards that get no trees: a minibatch or dev set smaller than the thread count.
@Suite struct EngineShardTests {
    /// Used to trap with an index out of range in `LevelWorkspace.forward` (found by
    /// `LiveTrainerTests`, batch size 1 with 2 threads).
    @Test(arguments: [ModelKind.rnn, .rnn2])
    func fewerTreesThanThreadsGiveTheSingleThreadResult(kind: ModelKind) throws {
        let data = EngineTests.trees
        let layout = ParameterLayout(
            ModelConfig(
                kind: kind, dim: 6, middle: 5,
                vocabularySize: data.words.max().map { Int($0) + 1 }!))
        let theta = EngineTests.parameters(layout, Double.self)
        for trees in [[3], [5, 8]] {
            let one = TreeModel<Double>(layout: layout, parameters: theta, threads: 1)
                .lossAndGradient(trees: trees, data: data, parameters: theta)
            let many = TreeModel<Double>(layout: layout, parameters: theta, threads: 3)
                .lossAndGradient(trees: trees, data: data, parameters: theta)
            #expect(many.nodes == one.nodes && abs(many.loss - one.loss) <= 1e-12 * abs(one.loss))
            let (a, b) = (many.gradient.densified(), one.gradient.densified())
            let difference = EngineTests.relativeDifference(a, b)
            #expect(difference < 1e-12)
        }
        let oneTree = try Treebank.parse("(3 (2 a) (4 b))", source: "one")
        let (metrics, outcomes) = TreeModel<Double>(layout: layout, parameters: theta, threads: 4)
            .evaluate(EncodedTreebank(oneTree, words: [1, 2, -1]), parameters: theta)
        #expect(metrics.trees == 1 && outcomes.count == 1)
    }
}
