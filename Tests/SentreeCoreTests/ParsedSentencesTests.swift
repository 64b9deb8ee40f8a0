import Foundation
import Testing
@testable import SentreeCore

/// Plain sentences into trees: the parser's, or the fixed rule's without one.
struct ParsedSentencesTests {
    /// A parser with random weights: its trees are arbitrary but deterministic, which is all
    /// the plumbing needs (its accuracy is tested with the parser).
    static func parser(devF1: String? = "81.26") -> SpanParser {
        var parser = ParsingModelTests().smallParser()
        parser.info = devF1.map { ["dev_f1": $0] } ?? [:]
        return parser
    }

    @Test func theFixedRuleIsTheOneOfFromSentences() throws {
        for sentence in ["a b c d", "a b c .", "a . b ! ?", "x", "! ?", "it is n't good ... ."] {
            let tokens = sentence.split(separator: " ").map(String.init)
            let old = try Treebank.fromSentences([sentence], source: "t")
            let tree = BinaryTree.rightBranching(tokens)
            #expect(tree.left == old.left && tree.right == old.right, "\(sentence)")
        }
    }

    @Test func aParserBracketsAndSaysSo() throws {
        let parser = Self.parser()
        let sentences = ParsedSentences(parser: parser)
        #expect(sentences.structure == .parsed(devF1: 81.26))
        #expect(sentences.structure.note == "parsed · F1 81.3")
        let bank = try sentences.treebank(of: ["The film's good.", "", "bad!"], source: "s")
        #expect(bank.count == 2 && bank.lines == [1, 3])
        let tokens = [["The", "film", "'s", "good", "."], ["bad", "!"]]
        let expected = parser.parse(tokens)
        for t in 0 ..< 2 {
            let r = bank.nodes(of: t)
            #expect(Array(bank.left[r]) == expected[t].left && Array(bank.right[r]) == expected[t].right)
            #expect(ParserData.tokens(of: t, in: bank) == tokens[t])
            #expect(bank.labels[r].allSatisfy { $0 == Treebank.unlabeled })
        }
        // The input rules hold with a parser too: the column is the one typed.
        let error = #expect(throws: InputError.self) {
            try sentences.treebank(of: ["good", "not\u{7} bad"], source: "s")
        }
        #expect(error?.line == 2 && error?.column == 4, "\(String(describing: error))")
        #expect(ParsedSentences(parser: Self.parser(devF1: nil)).structure.note == "parsed")
        #expect(ParsedSentences(parser: nil).structure == .approximate)
    }

    @Test func threadsDoNotChangeTheTrees() {
        let words = ["the", "film", "is", "good", "bad", "not", "a", "."]
        var g: UInt64 = 7
        let sentences = (0 ..< 300).map { k in
            (0 ..< 2 + k % 23).map { _ in
                g = g &* 6_364_136_223_846_793_005 &+ 1
                return words[Int(g >> 59) % words.count]
            }
        }
        let parser = Self.parser()
        #expect(parser.parse(sentences, threads: 4) == parser.parse(sentences))
    }

    @Test func reparsingKeepsTheGoldLabelsOfGoldSpans() throws {
        let gold = try Treebank.parse("(3 (2 (2 a) (4 b)) (1 c))\n(0 (1 d) (2 (3 e) (1 f)))", source: "g")
        let rb = ParsedSentences(parser: nil).reparse(gold)
        // Right-branching: (a (b c)) misses the gold (a b); (d (e f)) is the gold tree.
        #expect(rb.brackets.matched == 1 && rb.brackets.predicted == 2 && rb.brackets.gold == 2)
        #expect(rb.structure == .approximate)
        let first = rb.treebank.nodes(of: 0)
        // Leaves a, b, c keep 2, 4, 1; (b c) is no gold node; the root keeps 3.
        #expect(Array(rb.treebank.labels[first]) == [2, 4, 1, Treebank.unlabeled, 3])
        let second = rb.treebank.nodes(of: 1)
        #expect(Array(rb.treebank.labels[second]) == [1, 3, 1, 2, 0])
        let parsed = ParsedSentences(parser: Self.parser()).reparse(gold)
        #expect(parsed.structure == .parsed(devF1: 81.26))
        #expect(parsed.brackets.f1 == Self.parser().evaluate(gold).f1)
    }

    @Test func aProbeTakesTheTreeOfItsSentences() throws {
        let probe = try Probe(
            parsing: " the film is good . ", source: "p", sentences: ParsedSentences(parser: Self.parser()))
        #expect(probe.structure == .parsed(devF1: 81.26) && !probe.approximate)
        let expected = Self.parser().parse([["the", "film", "is", "good", "."]])[0]
        #expect(probe.treebank.left == expected.left)
        #expect(try Probe(parsing: "(3 (2 a) (3 b))", source: "p").structure == .given)
        #expect(try Probe(parsing: "a b", source: "p").structure == .approximate)
    }
}
