/// Limits and character rules shared by every reader of file or user text: treebanks,
/// sentences for `predict`, and embeddings files.
///
/// The limits are far above anything real data needs (SST's longest word is 27 bytes, its
/// longest line 687 bytes) and exist so that a hostile or corrupted file produces an
/// error instead of unbounded memory use.
public enum InputText {
    /// Longest token (a word, label or number), in UTF-8 bytes.
    public static let maximumTokenBytes = 1_000

    /// Longest line, in UTF-8 bytes without its line end (1 MiB); a 300-dimensional
    /// embeddings row is about 3 KB.
    public static let maximumLineBytes = 1 << 20

    /// Why a token is unacceptable, and where in it the problem starts.
    public struct TokenProblem: Equatable, Sendable {
        /// Byte offset of the offending character in the token (0 for an over-long token).
        public var offset: Int
        public var message: String
    }

    /// The single rule for "is this token acceptable": no control characters (C0, which
    /// includes TAB, CR and LF; DEL; C1 U+0080–U+009F) and at most `maximumTokenBytes` bytes.
    ///
    /// `token` must be valid UTF-8. A control character is located at its own offset; an
    /// over-long token at its start.
    public static func problem(inToken token: UnsafeBufferPointer<UInt8>) -> TokenProblem? {
        if let offset = firstControlCharacter(in: token) {
            return TokenProblem(
                offset: offset,
                message: "\(controlName(at: offset, in: token)) is not allowed in a word")
        }
        if token.count > maximumTokenBytes {
            return TokenProblem(
                offset: 0,
                message: "word of \(token.count) bytes is longer than the limit of "
                    + "\(maximumTokenBytes) bytes")
        }
        return nil
    }

    /// Why `word`, read from a file as one vocabulary entry, could not be a treebank token
    /// (empty, holding a space, or failing `problem(inToken:)`), quoted and sanitized; nil
    /// for a good word.
    public static func problem(inVocabularyWord word: String) -> String? {
        let utf8 = Array(word.utf8)
        if utf8.isEmpty { return "is empty" }
        if let space = utf8.firstIndex(of: 0x20) { return "has a space at byte \(space)" }
        return utf8.withUnsafeBufferPointer { buffer in
            problem(inToken: buffer).map { "\(quoted(buffer)) at byte \($0.offset): \($0.message)" }
        }
    }

    /// The message for a line of `byteCount` bytes, or nil if the line is within the limit.
    public static func lineProblem(byteCount: Int) -> String? {
        byteCount > maximumLineBytes
            ? "line of \(byteCount) bytes is longer than the limit of \(maximumLineBytes) bytes" : nil
    }

    /// `text` in single quotes for a message: shortened to 40 characters so a huge line
    /// cannot flood it, and sanitized so it cannot reach the terminal raw.
    public static func quoted(_ text: UnsafeBufferPointer<UInt8>) -> String {
        let t = String(decoding: text, as: UTF8.self)
        return TerminalText.sanitized(t.count > 40 ? "'\(t.prefix(40))…'" : "'\(t)'")
    }

    /// `invalid UTF-8 (byte 0xFF); ` followed by `advice`.
    static func invalidUTF8Message(byte: UInt8, advice: String) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex)); \(advice)"
    }

    /// Offset of the first byte that starts a control character in valid UTF-8 `bytes`.
    static func firstControlCharacter(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            // C1 controls are U+0080–U+009F, encoded C2 80 … C2 9F.
            if b < 0x20 || b == 0x7F || (b == 0xC2 && i + 1 < n && bytes[i + 1] <= 0x9F) { return i }
            i += 1
        }
        return nil
    }

    /// `control character U+001B (ESC)`, naming the character at `offset` in `bytes`.
    static func controlName(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let value = bytes[offset] == 0xC2 ? UInt32(bytes[offset + 1]) : UInt32(bytes[offset])
        let names: [UInt32: String] = [
            0x00: "NUL", 0x09: "TAB", 0x0A: "LF", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL",
        ]
        var hex = String(value, radix: 16, uppercase: true)
        hex = String(repeating: "0", count: 4 - hex.count) + hex
        return "control character U+\(hex)" + (names[value].map { " (\($0))" } ?? "")
    }

    /// 1-based column, in characters, of byte `offset` of `line`.
    static func column(ofByte offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Int {
        String(decoding: UnsafeBufferPointer(rebasing: line[..<offset]), as: UTF8.self).count + 1
    }
}
