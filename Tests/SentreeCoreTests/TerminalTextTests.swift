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
        for text in [
            "", "plain text", "8\u{00A0}1\\/2", "café ¢ ¿ Â", "👍🏽 family 👨‍👩‍👧", "-LRB- \\* ✓ →", "\u{A0}\u{A1}",
        ] {
            #expect(TerminalText.sanitized(text) == text)
        }
    }

    @Test func sanitizingTwiceChangesNothing() {
        let once = TerminalText.sanitized("x\u{1B}]0;title\u{7}\u{0}\u{85}y")
        #expect(once == "x\\x1b]0;title\\x07\\x00\\u{85}y")
        #expect(TerminalText.sanitized(once) == once)
        #expect(!once.unicodeScalars.contains(where: TerminalText.isControl))
    }

    /// A right-to-left override makes `evil\u{202E}txt.exe` show as `evilexe.txt`; bidi
    /// controls and invisible characters are escaped, joiners inside words kept.
    @Test func bidiControlsAndInvisiblesAreEscaped() {
        let cases: [(String, String)] = [
            ("evil\u{202E}txt.exe", "evil\\u{202e}txt.exe"),
            ("a\u{2066}b\u{2069}", "a\\u{2066}b\\u{2069}"),
            ("\u{200F}x\u{200E}", "\\u{200f}x\\u{200e}"),
            ("zero\u{200B}width", "zero\\u{200b}width"),
            ("\u{FEFF}bom", "\\u{feff}bom"),
            ("word\u{2060}joiner", "word\\u{2060}joiner"),
            ("arabic\u{061C}mark", "arabic\\u{61c}mark"),
            ("lone \u{200D} joiner", "lone \\u{200d} joiner"),
            ("\u{200C}start", "\\u{200c}start"),
        ]
        for (raw, shown) in cases {
            #expect(TerminalText.sanitized(raw) == shown, "\(shown)")
            #expect(TerminalText.sanitized(shown) == shown)
        }
        // Joiners between letters or emoji are part of the word.
        for kept in ["می\u{200C}خواهم", "👨\u{200D}👩\u{200D}👧", "क्\u{200D}ष"] {
            #expect(TerminalText.sanitized(kept) == kept)
        }
    }
}
