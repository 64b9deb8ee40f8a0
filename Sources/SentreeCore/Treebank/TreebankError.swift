/// A problem in treebank text, located by 1-based line and column.
///
/// Columns count characters (grapheme clusters) of the line, so they match what an editor
/// shows even when the line holds non-ASCII words. Errors that concern the whole file rather
/// than a position in it (e.g. an unreadable file) use line 0 and column 0.
public struct TreebankError: Error, CustomStringConvertible, Equatable {
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
    public var description: String { "\(source):\(line):\(column): \(message)" }
}
