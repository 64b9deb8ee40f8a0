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
    /// Everything else, including U+00A0, accents and emoji, is kept. A backslash is not
    /// escaped itself: the result is for reading, not for parsing back (PTB tokens such as
    /// `1\/2` must stay legible). The result contains no control characters, so sanitizing
    /// twice changes nothing.
    public static func sanitized(_ s: String) -> String {
        guard s.utf8.contains(where: mayStartControl) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            if isControl(scalar) {
                out += escape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `scalar` is a C0 control, DEL or a C1 control.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F ... 0x9F).contains(scalar.value)
    }

    /// Cheap pre-check on UTF-8: C0 and DEL bytes, or the lead byte 0xC2 of U+0080–U+00BF.
    private static func mayStartControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2
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
