/// Makes text from files and users safe to print on a terminal.
///
/// Every place that shows such text (CLI output, error messages, the dashboard) goes through
/// `sanitized(_:)`, so a word holding an escape sequence cannot recolour, move the cursor of,
/// or retitle the user's terminal.
public enum TerminalText {
    /// `s` with every control character replaced by a visible escape.
    ///
    /// C0 controls (U+0000–U+001F) and DEL become `\t`, `\n`, `\r` or `\xHH` (`\x1b` for ESC),
    /// C1 controls (U+0080–U+009F, which some terminals obey as 8-bit escapes) become `\u{HH}`.
    /// So do the bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C),
    /// which reorder what follows them on screen (a file name can show as another), and the
    /// invisible U+200B, U+2060 and U+FEFF. The joiners U+200C and U+200D stay inside a word
    /// (Persian, emoji sequences need them) and are escaped elsewhere, where they only hide.
    /// Everything else, including U+00A0, accents and emoji, is kept. A backslash is not
    /// escaped itself: the result is for reading, not for parsing back (PTB tokens such as
    /// `1\/2` must stay legible). The result contains no control characters, so sanitizing
    /// twice changes nothing.
    public static func sanitized(_ s: String) -> String {
        guard s.utf8.contains(where: mayStartControl) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        let scalars = Array(s.unicodeScalars)
        for (k, scalar) in scalars.enumerated() {
            let hides =
                isJoiner(scalar)
                && !(k > 0 && k + 1 < scalars.count && isWordPart(scalars[k - 1])
                    && isWordPart(scalars[k + 1]))
            if isControl(scalar) || isInvisibleFormat(scalar) || hides {
                out += escape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Bidirectional controls and invisible characters that are never part of a word.
    static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200B, 0x200E, 0x200F, 0x202A ... 0x202E, 0x2060, 0x2066 ... 0x2069, 0xFEFF: true
        default: false
        }
    }

    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200C || scalar.value == 0x200D
    }

    /// Letters, marks, digits and emoji: what a joiner may stand between.
    private static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        return p.isAlphabetic || p.generalCategory == .decimalNumber || p.isEmoji || p.isVariationSelector
            || p.generalCategory == .nonspacingMark
    }

    /// Whether `scalar` is a C0 control, DEL or a C1 control.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F ... 0x9F).contains(scalar.value)
    }

    /// Cheap pre-check on UTF-8: C0 and DEL bytes, the lead byte 0xC2 of U+0080–U+00BF, and
    /// the lead bytes of U+061C (0xD8), U+2000–U+2FFF (0xE2) and U+F000–U+FFFF (0xEF).
    private static func mayStartControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\t": return "\\t"
        case "\n": return "\\n"
        case "\r": return "\\r"
        default:
            let hex = String(scalar.value, radix: 16)
            let padded = hex.count == 1 ? "0" + hex : hex
            return scalar.value < 0x80 ? "\\x\(padded)" : "\\u{\(padded)}"
        }
    }
}
