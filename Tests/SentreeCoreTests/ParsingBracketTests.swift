import Testing
@testable import SentreeCore

struct ParsingBracketTests {
    @Test func spansLeaveOutWordsAndTheRoot() throws {
        let bank = try Treebank.parse("(2 (2 (2 a) (2 b)) (2 (2 c) (2 (2 d) (2 e))))\n", source: "t")
        let spans = BracketScore.spans(of: 0, in: bank)
        #expect(Set(spans) == [Span(0, 2), Span(2, 5), Span(3, 5)])
    }

    @Test func spansOfALaterTreeStartAtZero() throws {
        let bank = try Treebank.parse("(2 (2 a) (2 b))\n(2 (2 (2 c) (2 d)) (2 e))\n", source: "t")
        #expect(BracketScore.spans(of: 0, in: bank).isEmpty)
        #expect(BracketScore.spans(of: 1, in: bank) == [Span(0, 2)])
    }

    @Test func microAveragesOverSentences() {
        var score = BracketScore()
        // 1 of 2 predicted right, 1 of 3 gold found.
        score.add(predicted: [Span(0, 2), Span(1, 3)], gold: [Span(0, 2), Span(2, 4), Span(2, 5)])
        // 2 of 2 right, both gold found.
        score.add(predicted: [Span(0, 2), Span(3, 5)], gold: [Span(3, 5), Span(0, 2)])
        #expect(score.matched == 3 && score.predicted == 4 && score.gold == 5)
        #expect(abs(score.precision - 75) < 1e-9)
        #expect(abs(score.recall - 60) < 1e-9)
        #expect(abs(score.f1 - 2 * 75 * 60 / 135) < 1e-9)
    }

    @Test func rightBranchingAttachesFinalPunctuationAtTheTop() {
        let spans = BracketScore.rightBranchingSpans(["it", "is", "very", "good", "."])
        // (((it (is (very good)))) .): chain spans and the body.
        #expect(Set(spans) == [Span(2, 4), Span(1, 4), Span(0, 4)])
        #expect(Set(BracketScore.rightBranchingSpans(["a", "b", "c"])) == [Span(1, 3)])
        #expect(BracketScore.rightBranchingSpans(["a", "."]).isEmpty)
    }

    @Test func rightBranchingScoresAsDocumentedOnSSTDev() throws {
        guard let dir = TestTreebanks.sstDirectory else { return }
        let dev = try Treebank.load(contentsOf: dir + "/dev.txt")
        var score = BracketScore()
        for t in 0 ..< dev.count {
            score.add(
                predicted: BracketScore.rightBranchingSpans(ParserData.tokens(of: t, in: dev)),
                gold: BracketScore.spans(of: t, in: dev))
        }
        // The design notes say 33.4; with the gold tokens this definition gives 33.51.
        #expect(abs(score.f1 - 33.51) < 0.005, "F1 \(score.f1)")
    }
}
