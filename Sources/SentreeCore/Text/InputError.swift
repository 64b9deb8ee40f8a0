/// A problem in text read from a file or a user, located by 1-based line and column.
///
/// Columns count characters (grapheme clusters) of the line, so they match what an editor
/// shows even when the line holds non-ASCII words. Errors that concern the whole input
/// rather than a position in it (e.g. an unreadable file) use line 0 and column 0.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public let source: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(source: String, line: Int, column: Int, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    /// `source:line:column: message`, the format compilers use, so editors can jump to it.
    ///
    /// Sanitized for the terminal: a file name or quoted input holding an escape sequence
    /// is shown as `\x1b…`, never sent raw.
    public var description: String {
        TerminalText.sanitized("\(source):\(line):\(column): \(message)")
    }
}
