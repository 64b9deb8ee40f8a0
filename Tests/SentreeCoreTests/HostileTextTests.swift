import Foundation
import Testing
@testable import SentreeCore

/// A balanced labelled tree over `leaves` words, as one PTB line.
func balancedTree(leaves: Int) -> String {
    leaves == 1
        ? "(2 a)" : "(2 \(balancedTree(leaves: leaves / 2)) \(balancedTree(leaves: leaves - leaves / 2)))"
}

/// The error thrown by `Treebank.fromSentences`, rendered as `source:line:column: message`.
func sentenceError(_ sentences: [String]) -> String? {
    do {
        _ = try Treebank.fromSentences(sentences, source: "<argument 1>")
        return nil
    } catch {
        return error.description
    }
}

@Suite struct TreebankHostileTextTests {
    @Test func controlCharactersAreReportedAtTheirOwnColumn() {
        #expect(
            parseError("(2 (2 a\u{0}b) (2 c))")
                == "t.txt:1:8: control character U+0000 (NUL) is not allowed in a word")
        #expect(
            parseError("(2 a)\n(2 (2 bad\u{1B}[31mword) (2 c))")
                == "t.txt:2:10: control character U+001B (ESC) is not allowed in a word")
        #expect(
            parseError("(3 x\u{7F})") == "t.txt:1:5: control character U+007F (DEL) is not allowed in a word")
        #expect(
            parseError("(2 (2 é\u{85}) (2 c))")
                == "t.txt:1:8: control character U+0085 is not allowed in a word")
        #expect(parseError("(2 a\rb)") == "t.txt:1:5: control character U+000D (CR) is not allowed in a word")
        #expect(parseError("(2\u{0C}a)") == "t.txt:1:3: control character U+000C is not allowed in a word")
    }

    @Test func controlCharactersAreRejectedInEveryPosition() {
        // Label slot, start of the line, after the tree, and unlabeled input for `predict`.
        #expect(parseError("(\u{1B}2 a)")?.hasPrefix("t.txt:1:2: control character U+001B (ESC)") == true)
        #expect(parseError("\u{1B}[2J(2 a)")?.hasPrefix("t.txt:1:1: control character U+001B (ESC)") == true)
        #expect(parseError("(2 a) \u{1B}[0m")?.hasPrefix("t.txt:1:7: control character U+001B (ESC)") == true)
        #expect(
            parseError("(bad\u{1B} word)", requireLabels: false)?.hasPrefix("t.txt:1:5: control character")
                == true)
    }

    @Test func messagesNeverCarryRawControlCharacters() throws {
        // The control is inside quoted trailing text, so it is quoted rather than located.
        let error = try #require(parseError("(2 a) junk(\u{1B}[31m"))
        #expect(error == "t.txt:1:7: unexpected text after the end of the tree: 'junk(\\x1b[31m'")
        let named = TreebankError(source: "evil\u{1B}]0;x\u{7}.txt", line: 1, column: 2, message: "m\u{9B}")
        #expect(named.description == "evil\\x1b]0;x\\x07.txt:1:2: m\\u{9b}")
    }

    @Test func noBreakSpaceAndOtherLatin1LettersStayAccepted() throws {
        // U+00A0..U+00FF share the lead byte 0xC2/0xC3 with C1 controls in UTF-8.
        let tb = try Treebank.parse("(2 (2 8\u{00A0}1\\/2) (2 ¢¿Âé\u{A0}))", source: "mem")
        #expect(tb.tokens == ["8\u{00A0}1\\/2", "¢¿Âé\u{A0}"])
    }

    @Test func tokenLengthLimit() throws {
        let limit = InputText.maximumTokenBytes
        #expect(limit == 1_000)
        let atLimit = try Treebank.parse(
            "(2 (2 \(String(repeating: "é", count: limit / 2))) (2 b))", source: "mem")
        #expect(atLimit.tokens[0].utf8.count == limit)
        #expect(
            parseError("(2 (2 a) (2 \(String(repeating: "x", count: limit + 1))))")
                == "t.txt:1:13: word of 1001 bytes is longer than the limit of 1000 bytes")
        #expect(
            parseError("(\(String(repeating: "7", count: 5000)) a)")
                == "t.txt:1:2: word of 5000 bytes is longer than the limit of 1000 bytes")
    }

    @Test func lineLengthLimit() throws {
        let limit = InputText.maximumLineBytes
        #expect(limit == 1_048_576)
        let padded = "(2 a)" + String(repeating: " ", count: limit - 5)
        #expect(try Treebank.parse(padded + "\r\n", source: "mem").count == 1)
        #expect(
            parseError("(2 a)\n" + padded + " \n")
                == "t.txt:2:1: line of 1048577 bytes is longer than the limit of 1048576 bytes")
        // A 5 MB "word" is stopped by the line limit before any token is built.
        let huge = "(2 " + String(repeating: "w", count: 5_000_000) + ")"
        #expect(
            parseError(huge) == "t.txt:1:1: line of 5000004 bytes is longer than the limit of 1048576 bytes")
    }

    @Test func treeSizeLimit() throws {
        #expect(Treebank.maximumTreeNodes == 20_000)
        let largest = try Treebank.parse(balancedTree(leaves: 10_000), source: "mem")
        #expect(largest.nodeCount == 19_999)
        #expect(
            parseError("\n  " + balancedTree(leaves: 10_001))
                == "t.txt:2:3: tree of 20001 nodes is larger than the limit of 20000 nodes")
    }
}

@Suite struct SentenceHostileTextTests {
    @Test func controlCharactersInSentencesAreErrors() {
        #expect(
            sentenceError(["good", "bad\u{1B}[31mword"])
                == "<argument 1>:2:4: control character U+001B (ESC) is not allowed in a word")
        #expect(
            sentenceError(["a\u{0B}b"])
                == "<argument 1>:1:2: control character U+000B is not allowed in a word")
        #expect(
            sentenceError(["été \u{85}x"])
                == "<argument 1>:1:5: control character U+0085 is not allowed in a word")
        #expect(
            sentenceError(["one\ntwo"])
                == "<argument 1>:1:4: control character U+000A (LF) is not allowed in a word")
    }

    @Test func tabsAndNoBreakSpacesStayAccepted() throws {
        let tb = try Treebank.fromSentences(["8\u{00A0}1/2 weeks\tlater ."], source: "s")
        #expect(tb.tokens == ["8\u{00A0}1\\/2", "weeks", "later", "."])
    }

    @Test func sentenceLimits() throws {
        let long = String(repeating: "y", count: InputText.maximumTokenBytes + 1)
        #expect(
            sentenceError(["a  \(long) b"])
                == "<argument 1>:1:4: word of 1001 bytes is longer than the limit of 1000 bytes")
        let line = String(repeating: "a ", count: InputText.maximumLineBytes / 2 + 1)
        #expect(
            sentenceError([line])
                == "<argument 1>:1:1: line of 1048578 bytes is longer than the limit of 1048576 bytes")
        let many = String(repeating: "a ", count: 10_001)
        #expect(
            sentenceError([many])
                == "<argument 1>:1:1: sentence of 10001 tokens makes a tree larger than the limit of 20000 nodes"
        )
        #expect(
            try Treebank.fromSentences([String(repeating: "a ", count: 10_000)], source: "s").nodeCount
                == 19_999)
    }
}
