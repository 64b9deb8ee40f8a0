import Testing
import SentreeCore

@Suite struct TerminalTextTests {
    @Test func controlCharactersBecomeVisibleEscapes() {
        let cases: [(String, String)] = [
            ("bad\u{1B}[31mword", "bad\\x1b[31mword"),
            ("a\u{0}b", "a\\x00b"),
            ("del\u{7F}", "del\\x7f"),
            ("next\u{85}line", "next\\u{85}line"),
            ("\u{9B}2J", "\\u{9b}2J"),
            ("a\rb", "a\\rb"),
            ("a\r\nb\n", "a\\r\\nb\\n"),
            ("a\tb", "a\\tb"),
            ("\u{1}\u{1F}", "\\x01\\x1f"),
        ]
        for (raw, shown) in cases {
            #expect(TerminalText.sanitized(raw) == shown, "\(shown)")
        }
    }

    @Test func printableTextIsUnchanged() {
        for text in ["", "plain text", "8\u{00A0}1\\/2", "café ¢ ¿ Â", "👍🏽 family 👨‍👩‍👧", "-LRB- \\* ✓ →", "\u{A0}\u{A1}"] {
            #expect(TerminalText.sanitized(text) == text)
        }
    }

    @Test func sanitizingTwiceChangesNothing() {
        let once = TerminalText.sanitized("x\u{1B}]0;title\u{7}\u{0}\u{85}y")
        #expect(once == "x\\x1b]0;title\\x07\\x00\\u{85}y")
        #expect(TerminalText.sanitized(once) == once)
        #expect(!once.unicodeScalars.contains(where: TerminalText.isControl))
    }
}
