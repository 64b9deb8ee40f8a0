import Foundation
import Testing
@testable import SentreeCore

/// Location of the real SST files; tests that need them skip when they are absent.
let sstDirectory = "/work/shared/data/sst"
var sstAvailable: Bool { FileManager.default.fileExists(atPath: sstDirectory + "/train.txt") }

/// The error thrown by parsing `text`, rendered as `source:line:column: message`.
func parseError(_ text: String, requireLabels: Bool = true) -> String? {
    do {
        _ = try Treebank.parse(text, source: "t.txt", requireLabels: requireLabels)
        return nil
    } catch let error as TreebankError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}

@Suite struct TreebankParserTests {
    @Test func parsesPostOrderWithLocalIndices() throws {
        let tb = try Treebank.parse(
            "(3 (2 (2 The) (2 Rock)) (4 rules))\n(1 (0 bad) (2 film))\n", source: "mem")
        #expect(tb.source == "mem")
        #expect(tb.count == 2)
        #expect(tb.nodeCount == 8)
        #expect(tb.treeStart == [0, 5, 8])
        #expect(tb.lines == [1, 2])
        // Tree 0 post-order: The, Rock, (The Rock), rules, root.
        #expect(tb.labels == [2, 2, 2, 4, 3, 0, 2, 1])
        #expect(tb.left == [-1, -1, 0, -1, 2, -1, -1, 0])
        #expect(tb.right == [-1, -1, 1, -1, 3, -1, -1, 1])
        #expect(tb.leafToken == [0, 1, -1, 2, -1, 3, 4, -1])
        #expect(tb.tokens == ["The", "Rock", "rules", "bad", "film"])
        #expect(tb.nodes(of: 1) == 5 ..< 8)
    }

    @Test func singleWordTreeIsOneLeaf() throws {
        let tb = try Treebank.parse("(4 wonderful)", source: "mem")
        #expect(tb.count == 1)
        #expect(tb.labels == [4])
        #expect(tb.left == [-1] && tb.right == [-1] && tb.leafToken == [0])
        #expect(tb.tokens == ["wonderful"])
    }

    @Test func keepsNoBreakSpaceInsideWordsAndEscapes() throws {
        let tb = try Treebank.parse("(2 (2 8\u{00A0}1\\/2) (2 -LRB-café-RRB-))", source: "mem")
        #expect(tb.tokens == ["8\u{00A0}1\\/2", "-LRB-café-RRB-"])
    }

    @Test func acceptsCRLFBlankLinesTabsAndTightParentheses() throws {
        let text = "\r\n(1 (2 a)\t(2 b))\r\n   \r\n\n(3(2 c)(4 d))  \r\n"
        let tb = try Treebank.parse(text, source: "mem")
        #expect(tb.count == 2)
        #expect(tb.lines == [2, 5])
        #expect(tb.tokens == ["a", "b", "c", "d"])
        #expect(tb.labels == [2, 2, 1, 2, 4, 3])
    }

    @Test func emptyTextHasNoTrees() throws {
        let tb = try Treebank.parse("\n  \n", source: "mem")
        #expect(tb.count == 0 && tb.nodeCount == 0 && tb.treeStart == [0])
    }

    @Test func loadsFromFileAndNamesThePath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("(2 (2 a) (2 b))\n(2 oops\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(
            throws: TreebankError(
                source: path, line: 2, column: 8,
                message: "expected ')' to close the node opened at column 1, found end of line")
        ) {
            try Treebank.load(contentsOf: path)
        }
        try Data("\u{FEFF}(2 (2 a) (2 b))\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Treebank.load(contentsOf: path).tokens == ["a", "b"])
    }

    @Test func missingFileIsAnError() {
        #expect(
            throws: TreebankError(source: "/nonexistent/x.txt", line: 0, column: 0, message: "no such file")
        ) {
            try Treebank.load(contentsOf: "/nonexistent/x.txt")
        }
    }

    @Test func invalidUTF8IsReportedWithPosition() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = Array("(2 (2 a) (2 b))\n(2 (2 é".utf8)
        bytes += [0xFF]
        bytes += Array(") (2 b))\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(
            throws: TreebankError(
                source: path, line: 2, column: 8,
                message: "invalid UTF-8 (byte 0xFF); the file must be UTF-8 text")
        ) {
            try Treebank.load(contentsOf: path)
        }
        // A truncated multi-byte sequence at the very end of the file.
        try Data(Array("(2 a)\n(2 ".utf8) + [0xC3]).write(to: URL(fileURLWithPath: path))
        #expect(
            throws: TreebankError(
                source: path, line: 2, column: 4,
                message: "invalid UTF-8 (byte 0xC3); the file must be UTF-8 text")
        ) {
            try Treebank.load(contentsOf: path)
        }
    }
}

@Suite struct TreebankErrorTests {
    @Test func descriptionFormat() {
        let e = TreebankError(source: "a.txt", line: 3, column: 7, message: "boom")
        #expect(e.description == "a.txt:3:7: boom")
    }

    @Test func unclosedNode() {
        #expect(
            parseError("(3 (2 a) (2 b)")
                == "t.txt:1:15: expected ')' to close the node opened at column 1, found end of line")
        #expect(
            parseError("(2 a)\n(3 (2 a) (2 b\n")
                == "t.txt:2:14: expected ')' to close the node opened at column 10, found end of line")
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(
            parseError("(2 (2 été) (2 à) x)")
                == "t.txt:1:18: expected '(' or ')' after a child node, found 'x'")
    }

    @Test func labelNotANumber() {
        #expect(parseError("(x good)") == "t.txt:1:2: expected a label 0-4, found 'x'")
        #expect(parseError("(2 (good) (2 a))") == "t.txt:1:5: expected a label 0-4, found 'good'")
    }

    @Test func labelOutOfRange() {
        #expect(parseError("(7 good)") == "t.txt:1:2: label 7 is outside 0-4")
        #expect(parseError("(2 (-1 a) (2 b))") == "t.txt:1:5: label -1 is outside 0-4")
    }

    @Test func missingLabel() {
        #expect(parseError("((2 a) (2 b))") == "t.txt:1:2: expected a label 0-4, found '('")
        #expect(parseError("(2 (2 a) ())") == "t.txt:1:11: expected a label 0-4, found ')'")
    }

    @Test func oneChild() {
        #expect(parseError("(2 (2 a))") == "t.txt:1:1: a node needs exactly two children, found 1")
    }

    @Test func threeChildren() {
        #expect(
            parseError("(2 (2 a) (2 (2 b) (2 c) (2 d)))")
                == "t.txt:1:10: a node needs exactly two children, found 3")
    }

    @Test func emptyWord() {
        #expect(parseError("(2 (2 a) (3 ))") == "t.txt:1:13: empty word: expected a word after the label")
    }

    @Test func twoWordsInALeaf() {
        #expect(parseError("(2 not good)") == "t.txt:1:8: expected ')' after the word 'not', found 'good'")
        #expect(parseError("(2 not (2 good))") == "t.txt:1:8: expected ')' after the word 'not', found '('")
    }

    @Test func unexpectedClosingParenthesis() {
        #expect(parseError("(2 a))") == "t.txt:1:6: unexpected ')'")
        #expect(parseError("(2 a)\n)") == "t.txt:2:1: unexpected ')'")
    }

    @Test func textAfterTheTree() {
        #expect(parseError("(2 a) junk  ") == "t.txt:1:7: unexpected text after the end of the tree: 'junk'")
        #expect(parseError("(2 a) (2 b)") == "t.txt:1:7: unexpected text after the end of the tree: '(2 b)'")
    }

    @Test func treeMustStartWithParenthesis() {
        #expect(parseError("\n  hello (2 a)") == "t.txt:2:3: expected '(' to start a tree, found 'hello'")
    }

    @Test func longTokensAreShortenedInMessages() throws {
        let long = String(repeating: "y", count: 100)
        let message = try #require(parseError("(\(long) a)"))
        #expect(message == "t.txt:1:2: expected a label 0-4, found '\(String(repeating: "y", count: 40))…'")
    }

    @Test func deepNestingFailsCleanly() {
        let deep = String(repeating: "(2 ", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        #expect(parseError(deep) == "t.txt:1:3001: tree nested deeper than 1000 levels")
        let bare = String(repeating: "(", count: 100_000)
        #expect(parseError(bare, requireLabels: false) == "t.txt:1:1001: tree nested deeper than 1000 levels")
    }

    @Test func nestingAtTheLimitIsAccepted() throws {
        // A left spine of 1000 open nodes, each closing with a right leaf.
        let text = String(repeating: "(2 ", count: 999) + "(2 a)" + String(repeating: " (2 b))", count: 999)
        let tb = try Treebank.parse(text, source: "mem")
        #expect(tb.nodeCount == 1999)
        #expect(tb.left.last == 1996 && tb.right.last == 1997)
    }
}

@Suite struct UnlabeledParsingTests {
    @Test func bareWordsBecomeUnlabeledLeaves() throws {
        let u = Treebank.unlabeled
        let tb = try Treebank.parse("(not good)", source: "mem", requireLabels: false)
        #expect(tb.labels == [u, u, u])
        #expect(tb.left == [-1, -1, 0] && tb.right == [-1, -1, 1])
        #expect(tb.tokens == ["not", "good"])
    }

    @Test func labelsAreOptionalPerNode() throws {
        let u = Treebank.unlabeled
        let tb = try Treebank.parse("((2 not) (good))\n(1 not (3 good))", source: "mem", requireLabels: false)
        #expect(tb.labels == [2, u, u, u, 3, 1])
        #expect(tb.tokens == ["not", "good", "not", "good"])
        #expect(tb.left == [-1, -1, 0, -1, -1, 0] && tb.right == [-1, -1, 1, -1, -1, 1])
    }

    @Test func singleDigitRule() throws {
        let u = Treebank.unlabeled
        // "(2)" has nothing after the digit, so the digit is the word.
        let tb = try Treebank.parse("(2)\n(2 3)\n(7 a)", source: "mem", requireLabels: false)
        #expect(tb.labels == [u, 2, u, u, u])
        #expect(tb.tokens == ["2", "3", "7", "a"])
    }

    @Test func labelsStillValidatedWhereTheyAre() {
        #expect(
            parseError("(2 a b c)", requireLabels: false)
                == "t.txt:1:1: a node needs exactly two children, found 3")
        #expect(
            parseError("(2 ())", requireLabels: false)
                == "t.txt:1:5: empty node: expected a word or two children, found ')'")
        #expect(
            parseError("(a b", requireLabels: false)
                == "t.txt:1:5: expected ')' to close the node opened at column 1, found end of line")
    }

    @Test func requiredLabelsRejectTheSameInput() {
        #expect(parseError("(not good)") == "t.txt:1:2: expected a label 0-4, found 'not'")
    }
}

@Suite struct SSTTreebankTests {
    @Test(.enabled(if: sstAvailable)) func trainCounts() throws {
        let tb = try Treebank.load(contentsOf: sstDirectory + "/train.txt")
        #expect(tb.count == 8544)
        #expect(tb.nodeCount == 318_582)
        #expect(tb.tokens.count == 163_563)
        #expect(tb.lines.first == 1 && tb.lines.last == 8544)
        #expect(tb.tokens.contains("8\u{00A0}1\\/2"))
        for t in 0 ..< tb.count {
            let r = tb.nodes(of: t)
            #expect(tb.left[r.upperBound - 1] >= 0 || r.count == 1)
        }
    }

    @Test(.enabled(if: sstAvailable)) func devCounts() throws {
        let tb = try Treebank.load(contentsOf: sstDirectory + "/dev.txt")
        #expect(tb.count == 1101)
        #expect(tb.nodeCount == 41_447)
        let roots = (0 ..< tb.count).map { tb.labels[tb.nodes(of: $0).upperBound - 1] }
        #expect(roots.filter { $0 != 2 }.count == 872)
    }
}

@Suite struct TokenTextTests {
    @Test func undoesPTBEscapes() {
        let cases = [
            "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
            "1\\/2": "1/2", "\\*\\*\\*": "***", "and\\/or": "and/or", "film": "film",
            "-LRB-x": "-LRB-x", "--": "--", "8\u{00A0}1\\/2": "8\u{00A0}1/2",
        ]
        for (raw, shown) in cases {
            #expect(Treebank.displayText(ofToken: raw) == shown, "token \(raw)")
        }
    }

    @Test func phraseCoversExactlyTheLeavesUnderANode() throws {
        let tb = try Treebank.parse(
            """
            (2 (2 a) (2 b))
            (3 (2 (2 -LRB-) (2 (2 very) (2 -RRB-))) (3 (2 good) (2 1\\/2)))
            """, source: "mem")
        // Tree 1 post-order: -LRB-, very, -RRB-, (very -RRB-), (...), good, 1\/2, (good 1\/2), root.
        #expect(tb.phrase(tree: 1, node: 0) == "(")
        #expect(tb.phrase(tree: 1, node: 3) == "very )")
        #expect(tb.phrase(tree: 1, node: 4) == "( very )")
        #expect(tb.phrase(tree: 1, node: 7) == "good 1/2")
        #expect(tb.phrase(tree: 1, node: 8) == "( very ) good 1/2")
        #expect(tb.sentence(tree: 1) == "( very ) good 1/2")
        #expect(tb.sentence(tree: 0) == "a b")
    }

    @Test(.enabled(if: sstAvailable)) func sstSentencesMatchTheirLeaves() throws {
        let tb = try Treebank.load(contentsOf: sstDirectory + "/dev.txt")
        for t in 0 ..< tb.count {
            let r = tb.nodes(of: t)
            let words = r.filter { tb.leafToken[$0] >= 0 }.map {
                Treebank.displayText(ofToken: tb.tokens[Int(tb.leafToken[$0])])
            }
            #expect(tb.sentence(tree: t) == words.joined(separator: " "))
        }
    }
}

@Suite struct SentenceBinarizerTests {
    @Test func tokenizesLikeSST() {
        #expect(
            Treebank.ptbTokens(of: "It isn't bad (at all), I'd say... \"Great\" film!") == [
                "It", "is", "n't", "bad", "-LRB-", "at", "all", "-RRB-", ",", "I", "'d", "say", "...",
                "``", "Great", "''", "film", "!",
            ])
        #expect(
            Treebank.ptbTokens(of: "The students' U.S. co-writer/director can’t -- 'til 2:30; 5* ok?") == [
                "The", "students", "'", "U.S.", "co-writer\\/director", "ca", "n't", "--", "'til", "2:30",
                ";",
                "5\\*", "ok", "?",
            ])
        #expect(
            Treebank.ptbTokens(of: "8\u{00A0}1/2 weeks\tWE'RE  here") == [
                "8\u{00A0}1\\/2", "weeks", "WE", "'RE", "here",
            ])
        #expect(Treebank.ptbTokens(of: "  \t ").isEmpty)
    }

    @Test func finalPunctuationAtTopRestRightBranching() throws {
        let u = Treebank.unlabeled
        let tb = try Treebank.fromSentences(["a b c."], source: "input")
        #expect(tb.source == "input")
        #expect(tb.tokens == ["a", "b", "c", "."])
        // a, b, c, (b c), (a (b c)), ., root
        #expect(tb.left == [-1, -1, -1, 1, 0, -1, 4])
        #expect(tb.right == [-1, -1, -1, 2, 3, -1, 5])
        #expect(tb.leafToken == [0, 1, 2, -1, -1, 3, -1])
        #expect(tb.labels == Array(repeating: u, count: 7))
        #expect(tb.sentence(tree: 0) == "a b c .")
    }

    @Test func singleWordsAndPunctuationOnly() throws {
        let tb = try Treebank.fromSentences(["great", "!", "wow !!"], source: "input")
        #expect(tb.count == 3)
        #expect(tb.nodes(of: 0).count == 1 && tb.nodes(of: 1).count == 1)
        // wow, !, (wow !), !, ((wow !) !)
        let r = tb.nodes(of: 2)
        #expect(Array(tb.left[r]) == [-1, -1, 0, -1, 2])
        #expect(Array(tb.right[r]) == [-1, -1, 1, -1, 3])
    }

    @Test func emptySentencesAreSkippedAndLinesMapBack() throws {
        let tb = try Treebank.fromSentences(["", "good film", "   ", "bad"], source: "input")
        #expect(tb.count == 2)
        #expect(tb.lines == [2, 4])
        #expect(tb.sentence(tree: 0) == "good film")
    }

    @Test func outputIsAValidTreebank() throws {
        let tb = try Treebank.fromSentences(
            ["A long, winding -- and finally (!) satisfying film."], source: "input")
        #expect(tb.count == 1)
        let r = tb.nodes(of: 0)
        #expect(r.count == 2 * tb.tokens.count - 1)
        for local in 0 ..< r.count where tb.left[local] >= 0 {
            #expect(tb.left[local] < local && tb.right[local] < local)
        }
        #expect(tb.phrase(tree: 0, node: r.count - 1).hasSuffix("film ."))
    }
}

@Suite struct TreebankFuzzTests {
    /// Checks the documented layout: post-order, local child indices below the parent, one
    /// parent per non-root node, root last, leaves numbering `tokens` left to right.
    func checkLayout(_ tb: Treebank) {
        var nextToken: Int32 = 0
        for t in 0 ..< tb.count {
            let r = tb.nodes(of: t)
            var parents = [Int](repeating: 0, count: r.count)
            for local in 0 ..< r.count {
                let g = r.lowerBound + local
                if tb.left[g] < 0 {
                    #expect(tb.right[g] < 0 && tb.leafToken[g] == nextToken)
                    nextToken += 1
                } else {
                    #expect(tb.leafToken[g] == -1)
                    #expect(tb.left[g] < tb.right[g] && Int(tb.right[g]) < local)
                    parents[Int(tb.left[g])] += 1
                    parents[Int(tb.right[g])] += 1
                }
            }
            #expect(parents.dropLast().allSatisfy { $0 == 1 } && parents.last == 0)
        }
        #expect(Int(nextToken) == tb.tokens.count)
    }

    @Test func randomInputEitherParsesConsistentlyOrFailsWithOneError() {
        let alphabet: [String] = [
            "(", "(", ")", ")", " ", "2", "4", "7", "x", "é", "\u{00A0}", "\t", "\n", "\r\n", "(2 a)",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var parsed = 0, failed = 0
        for _ in 0 ..< 20_000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0 ..< Int(state >> 59) + 1 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += alphabet[Int(state >> 33) % alphabet.count]
            }
            for requireLabels in [true, false] {
                do {
                    checkLayout(try Treebank.parse(text, source: "f", requireLabels: requireLabels))
                    parsed += 1
                } catch let error as TreebankError {
                    #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
                    failed += 1
                } catch {
                    Issue.record("unexpected error type \(error)")
                }
            }
        }
        #expect(parsed > 100 && failed > 100)
    }

    @Test(.enabled(if: sstAvailable)) func sstLayoutIsConsistent() throws {
        checkLayout(try Treebank.load(contentsOf: sstDirectory + "/train.txt"))
    }
}
