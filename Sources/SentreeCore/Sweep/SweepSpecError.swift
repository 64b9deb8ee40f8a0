/// A mistake in a sweep spec, located the way editors and compilers locate them:
/// `FILE:LINE:COLUMN: KEY: what is wrong`, so a sweep never starts on a spec it misreads.
public struct SweepSpecError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    /// 1-based; 0 when the problem belongs to the whole file (unreadable, empty).
    public let line: Int
    public let column: Int
    /// The key the problem is about, as a path (`grid.lr`); empty for the whole file.
    public let key: String
    public let message: String

    public init(file: String, line: Int, column: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
