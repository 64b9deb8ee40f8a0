import Testing
@testable import SentreeCore

struct ParsingDecoderTests {
    /// Every binary tree over words i ..< j, as its scored spans.
    func allTrees(_ i: Int, _ j: Int) -> [[Span]] {
        if j - i == 1 { return [[]] }
        var out: [[Span]] = []
        for k in i + 1 ..< j {
            for l in allTrees(i, k) { for r in allTrees(k, j) { out.append(l + r + [Span(i, j)]) } }
        }
        return out
    }

    @Test func ckyFindsTheBestTreeOfABruteForceSearch() {
        var g = SplitMix64(seed: 5)
        for n in 2 ... 7 {
            for _ in 0 ..< 20 {
                var scores = [Float](repeating: 0, count: (n + 1) * (n + 1))
                for i in 0 ..< n {
                    for j in stride(from: i + 2, through: n, by: 1) {
                        scores[i * (n + 1) + j] = Float(g.symmetric(3))
                    }
                }
                func s(_ span: Span) -> Float {
                    span.length >= 2 && span.length < n
                        ? scores[Int(span.start) * (n + 1) + Int(span.end)] : 0
                }
                let trees = allTrees(0, n)
                let best = trees.map { $0.reduce(0) { $0 + s($1) } }.max()!
                let (tree, score) = ChartDecoder.cky(words: n, scores: scores)
                let found = tree.scoredSpans.reduce(0) { $0 + s($1) }
                #expect(abs(found - best) < 1e-4, "n=\(n)")
                #expect(abs(score - best) < 1e-4, "n=\(n)")
                #expect(tree.spans.count == 2 * n - 1 && tree.spans.last == Span(0, n))
            }
        }
        #expect(allTrees(0, 7).count == 132)  // Catalan(6): the search really is exhaustive
    }

    @Test func ckyFollowsAHandScoredChart() {
        // Words a b c d: (a b) and (c d) favoured, (b c) penalized.
        let n = 4
        var scores = [Float](repeating: 0, count: 25)
        scores[0 * 5 + 2] = 2; scores[2 * 5 + 4] = 1.5; scores[1 * 5 + 3] = -1; scores[0 * 5 + 3] = 1
        let (tree, score) = ChartDecoder.cky(words: n, scores: scores)
        #expect(Set(tree.scoredSpans) == [Span(0, 2), Span(2, 4)])
        #expect(score == 3.5)
    }

    @Test func greedySplitsWhereTheHalvesScoreBest() {
        // Words 0..5; the split at 2 has the best halves, then (2,5) splits at 3.
        let scored: [Span: Float] = [Span(0, 2): 3, Span(2, 5): 2, Span(3, 5): 1, Span(0, 3): 1]
        let tree = ChartDecoder.greedy(words: 5) { i, j in scored[Span(i, j)] ?? 0 }
        #expect(Set(tree.scoredSpans) == [Span(0, 2), Span(2, 5), Span(3, 5)])
    }

    @Test func greedyHandlesALongInputWithoutRecursion() {
        let n = 5000
        let tree = ChartDecoder.greedy(words: n) { i, j in i == 0 ? 1 : 0 }  // left-branching wins
        #expect(tree.spans.count == 2 * n - 1)
        #expect(tree.scoredSpans.count == n - 2)
    }

    @Test func treesPrintInPTBNotationAndReadBack() throws {
        let tree = BinaryTree(words: 3) { i, j in j - i == 3 ? 1 : i + 1 }
        var bank = Treebank(source: "t")
        bank.append(tree, tokens: ["not", "very", "good"], label: 2, line: 1)
        let text = bank.ptbText(of: 0)
        #expect(text == "(2 (2 not) (2 (2 very) (2 good)))")
        let again = try Treebank.parse(text + "\n", source: "t")
        #expect(BracketScore.spans(of: 0, in: again) == tree.scoredSpans)
    }
}
