import Testing
@testable import SentreeCore

@Suite struct ConfusionTests {
    @Test func rowsAreNormalizedPerGoldClass() {
        let table = ConfusionTable(counts: [
            [2, 2, 0, 0, 0],
            [0, 3, 1, 0, 0],
            [0, 0, 0, 0, 0],
            [0, 0, 1, 0, 3],
            [0, 0, 0, 0, 8],
        ])
        #expect(table.rowTotals == [4, 4, 0, 4, 8])
        #expect(table.total == 20)
        #expect(table.accuracy == 13.0 / 20)
        #expect(table.rate(gold: 0, predicted: 1) == 0.5)
        #expect(table.rate(gold: 3, predicted: 4) == 0.75)
        #expect(table.rate(gold: 2, predicted: 2) == nil)
        #expect(table.recall == [0.5, 0.75, nil, 0, 1])
    }

    /// Hand-made trees and predictions: each node counts under the number of words it spans.
    @Test func lengthsAreWordSpans() throws {
        let tb = try Treebank.parse(
            """
            (3 (2 not) (3 (2 very) (4 good)))
            (1 (1 dull) (2 .))
            """, source: "hand")
        var lengths = LengthAccuracy()
        // Post-order of tree 0: not, very, good, (very good), root.
        lengths.count(tree: 0, of: tb, predicted: [2, 2, 3, 3, 1])
        // Tree 1: dull, ., root.
        lengths.count(tree: 1, of: tb, predicted: [1, 2, 1])
        #expect(lengths.nodesTotal == [0, 5, 2, 1])
        #expect(lengths.nodesCorrect == [0, 4, 2, 0])
        #expect(lengths.rootsTotal == [0, 0, 1, 1])
        #expect(lengths.rootsCorrect == [0, 0, 1, 0])
        let buckets = lengths.buckets(size: 2)
        #expect(buckets.map(\.lengths) == [1 ... 2, 3 ... 4])
        #expect(buckets[0].nodeAccuracy == 6.0 / 7 && buckets[0].rootAccuracy == 1)
        #expect(buckets[1].nodeAccuracy == 0 && buckets[1].rootAccuracy == 0)
        #expect(
            lengths.report(size: 1) == [
                "Label accuracy at various lengths:", "     1: 0.800", "     2: 1.000",
                "     3: 0.000",
            ])
        #expect(lengths.report() == ["Label accuracy at various lengths:", "  1-10: 0.750"])
        // Merging two halves gives the whole.
        var first = LengthAccuracy(), second = LengthAccuracy()
        first.count(tree: 1, of: tb, predicted: [1, 2, 1])
        second.count(tree: 0, of: tb, predicted: [2, 2, 3, 3, 1])
        first.merge(second)
        #expect(first == lengths)
    }

    @Test func bucketsSkipEmptyRangesAndCoverLongSentences() throws {
        let words = (1 ... 23).map { "(2 w\($0))" }
        let tree = words.dropFirst().reduce(words[0]) { "(2 \($0) \($1))" }
        let tb = try Treebank.parse(tree, source: "long")
        var lengths = LengthAccuracy()
        lengths.count(tree: 0, of: tb, predicted: [UInt8](repeating: 2, count: tb.nodeCount))
        let buckets = lengths.buckets()
        #expect(buckets.map(\.lengths) == [1 ... 10, 11 ... 20, 21 ... 30])
        // 23 leaves + spans 2…10 in the first bucket; 11…20; 21…23 with the root.
        #expect(buckets.map(\.nodesTotal) == [23 + 9, 10, 3])
        #expect(buckets.map(\.rootsTotal) == [0, 0, 1])
    }

    /// The evaluator's confusion and length counts equal those recomputed from per-node
    /// predictions of the same parameters.
    @Test func evaluatorCountsMatchPerTreePredictions() throws {
        let tb = try TestTreebanks.treebank(count: 60, seed: 9)
        let words = Vocabulary.build(from: tb, lowercase: true).encode(tb)
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 8, vocabularySize: Int(words.max()!) + 1))
        let theta = layout.initialParameters(seed: 5)
        let (metrics, _) = TreeModel<Float>(layout: layout, parameters: theta, threads: 2)
            .evaluate(EncodedTreebank(tb, words: words), parameters: theta)
        let snapshot = ModelSnapshot(layout: layout, parameters: theta, epoch: 0, step: 0)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 5)
        var lengths = LengthAccuracy()
        for t in 0 ..< tb.count {
            let predicted = snapshot.predict(tree: t, in: tb, wordIDs: words).predicted
            for (k, i) in tb.nodes(of: t).enumerated() {
                confusion[Int(tb.labels[i])][Int(predicted[k])] += 1
            }
            lengths.count(tree: t, of: tb, predicted: predicted)
        }
        #expect(metrics.allNodes.counts == confusion)
        #expect(metrics.byLength == lengths)
        #expect(metrics.byLength.buckets().reduce(0) { $0 + $1.nodesTotal } == tb.nodeCount)
    }
}
