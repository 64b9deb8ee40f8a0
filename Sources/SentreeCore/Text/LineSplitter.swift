#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream, fed in chunks of any size, into lines while holding at most one line
/// in memory: a 5 GB line fails as soon as it passes the limit instead of exhausting memory.
public struct LineSplitter: Sendable {
    /// Bytes of a line that started in an earlier chunk.
    private var pending: [UInt8] = []
    /// Lines handed out so far; the line being assembled is number `lineCount + 1`.
    public private(set) var lineCount = 0

    public init() {}

    /// Calls `body` with each line that `chunk` completes, without its LF (a CR before it is
    /// kept: callers decide about it), and keeps the unfinished rest for the next chunk.
    ///
    /// An unfinished line longer than `InputText.maximumLineBytes` plus one byte (for a CR)
    /// throws `overlong(lineNumber, message)`. A finished line is handed over whatever its
    /// length, so that the caller can report its exact length.
    public mutating func consume<E: Error>(
        _ chunk: UnsafeBufferPointer<UInt8>, overlong: (Int, String) -> E,
        _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> Void
    ) throws(E) {
        var start = 0
        while start < chunk.count {
            guard let newline = Self.firstNewline(in: chunk, from: start) else {
                if pending.count + chunk.count - start > InputText.maximumLineBytes + 1 {
                    throw overlong(
                        lineCount + 1, "line is longer than the limit of \(InputText.maximumLineBytes) bytes")
                }
                pending.append(contentsOf: chunk[start...])
                return
            }
            lineCount += 1
            if pending.isEmpty {
                try body(UnsafeBufferPointer(rebasing: chunk[start ..< newline]))
            } else {
                pending.append(contentsOf: chunk[start ..< newline])
                try pending.withUnsafeBufferPointer { line throws(E) in try body(line) }
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
    }

    /// Calls `body` with the last line if the stream did not end with a newline.
    public mutating func finish<E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> Void) throws(E) {
        guard !pending.isEmpty else { return }
        lineCount += 1
        try pending.withUnsafeBufferPointer { line throws(E) in try body(line) }
        pending.removeAll()
    }

    private static func firstNewline(in chunk: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = chunk.baseAddress,
            let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), chunk.count - start)
        else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
}
