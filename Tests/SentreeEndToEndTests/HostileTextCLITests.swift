import Foundation
import Testing
import SentreeCore

/// Checks that no control character other than the line feeds between lines reached `text`.
func expectNoRawControls(_ text: String, _ stream: String, sourceLocation: SourceLocation = #_sourceLocation)
{
    let raw = text.unicodeScalars.filter { TerminalText.isControl($0) && $0 != "\n" }
    #expect(
        raw.isEmpty, "raw control characters \(raw.map { $0.value }) on \(stream)",
        sourceLocation: sourceLocation)
}

/// Treebank lines with control characters or an over-long word, for the malformed-input tests.
let hostileTrees: [BadTree] = [
    BadTree(
        name: "NUL in a word", line: "(2 (2 a\u{0}b) (2 c))", column: 8,
        message: "control character U+0000 (NUL) is not allowed in a word"),
    BadTree(
        name: "escape sequence in a word", line: "(2 (2 bad\u{1B}[31mword) (2 c))", column: 10,
        message: "control character U+001B (ESC) is not allowed in a word"),
    BadTree(
        name: "C1 control in a word", line: "(2 (2 é\u{85}) (2 c))", column: 8,
        message: "control character U+0085 is not allowed in a word"),
    BadTree(
        name: "5,000-byte word", line: "(2 (2 \(String(repeating: "w", count: 5000))) (2 c))", column: 7,
        message: "word of 5000 bytes is longer than the limit of 1000 bytes"),
]

@Suite struct CLIHostileTextTests {
    @Test func predictRejectsAnEscapeSequenceInASentenceArgument() throws {
        let shared = try trained()
        let r = try sentree(["predict", "--checkpoint", shared.run, "good", "bad\u{1B}[31mword"])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        let line = r.errorLines.first ?? ""
        #expect(line.contains("<argument 2>:1:4: control character U+001B (ESC)"), "\(line)")
        expectNoRawControls(r.stdout, "stdout")
        expectNoRawControls(r.stderr, "stderr")
    }

    @Test func predictRejectsAnEscapeSequenceInATreeOnStandardInput() throws {
        let shared = try trained()
        let input = "(3 (2 good) (2 fine))\n(2 (2 bad\u{1B}]0;pwned\u{7}) (2 x))\n"
        let r = try sentree(["predict", "--checkpoint", shared.run], input: input)
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("<stdin line 2>:1:10: control character U+001B (ESC)"), "\(r.stderr)")
        // The first, valid tree was predicted before the bad line was read.
        #expect(r.stdout.contains("good fine"), "\(r.stdout)")
        expectNoRawControls(r.stdout, "stdout")
        expectNoRawControls(r.stderr, "stderr")
    }

    @Test func predictRejectsControlCharactersInSentencesOnStandardInput() throws {
        let shared = try trained()
        let r = try sentree(["predict", "--checkpoint", shared.run], input: "a fine movie\nnot\u{0} bad\n")
        #expect(r.status == 1)
        #expect(r.stderr.contains("<stdin line 2>:1:4: control character U+0000 (NUL)"), "\(r.stderr)")
        expectNoRawControls(r.stderr, "stderr")
    }

    @Test func predictStopsAtAnOverlongStandardInputLine() throws {
        let shared = try trained()
        let r = try sentree(
            ["predict", "--checkpoint", shared.run],
            input: "good\n" + String(repeating: "a", count: 3_000_000) + "\nbad\n")
        #expect(r.status == 1)
        #expect(
            r.errorLines == ["Error: <stdin line 2>:1:1: line is longer than the limit of 1048576 bytes"],
            "\(r.stderr)")
        #expect(r.stdout.contains("good") && !r.stdout.contains("bad"), "\(r.stdout)")
    }

    @Test func argumentParserErrorsQuoteOptionValuesEscaped() throws {
        let r = try sentree(["eval", "--checkpoint", "x", "--data", "y", "--threads", "\u{1B}[31m"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("'\\x1b[31m'"), "\(r.stderr)")
        expectNoRawControls(r.stderr, "stderr")
        let help = try sentree(["predict", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--checkpoint"))
    }

    @Test func errorsNamingAPathWithAnEscapeSequenceShowItEscaped() throws {
        let shared = try trained()
        let path = "/nonexistent/\u{1B}[2Jevil.txt"
        let r = try sentree(["eval", "--checkpoint", shared.run + "/best.safetensors", "--data", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/\\x1b[2Jevil.txt:0:0: no such file"), "\(r.stderr)")
        expectNoRawControls(r.stderr, "stderr")
    }
}
