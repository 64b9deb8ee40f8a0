import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Follows a run's `metrics.jsonl` while another process appends to it, reading only the
/// bytes added since the last poll. Read-only: it opens the file, never locks or writes it.
///
/// A line is read once it ends in a newline, so a line caught half-written waits for the
/// next poll. When the file is replaced or shrinks (a `--resume` trims it back to its
/// checkpoint, atomically, so it gets a new inode) the whole file is read again.
public struct MetricsTail: Sendable {
    /// What one poll found.
    public struct Update: Sendable, Equatable {
        /// Epoch lines completed since the previous poll (or the whole file if `replaced`).
        public var records: [EpochRecord] = []
        /// Evaluation events (dev inside an epoch) completed since the previous poll.
        public var evaluations: [EvaluationRecord] = []
        /// The file was replaced or cut back: `records` replace everything read before.
        public var replaced = false
        /// The first line that was not an epoch record or event (it is skipped).
        public var problem: CheckpointError? = nil

        public var isEmpty: Bool { records.isEmpty && evaluations.isEmpty && !replaced && problem == nil }
    }

    public let path: String
    private var offset = 0
    private var pending = Data()
    private var linesRead = 0
    private var identity: (device: UInt64, inode: UInt64)? = nil

    public init(path: String) { self.path = path }

    /// Reads what was appended since the last call.
    ///
    /// A missing file reads as empty (a run that has not finished an epoch has none yet).
    public mutating func poll() -> Update {
        var update = Update()
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT && offset > 0 { reset(); update.replaced = true }
            if errno != ENOENT { update.problem = CheckpointError(path, "cannot open: \(errnoText())") }
            return update
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            update.problem = CheckpointError(path, "cannot read: \(errnoText())")
            return update
        }
        let now = (device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        let size = Int(info.st_size)
        if let identity, identity != now || size < offset {
            reset()
            update.replaced = true
        }
        identity = now
        guard size > offset else { return update }
        var chunk = Data(count: size - offset)
        let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        guard n >= 0 else {
            update.problem = CheckpointError(path, "cannot read: \(errnoText())")
            return update
        }
        chunk.count = n
        offset += n
        pending.append(chunk)
        guard let lastNewline = pending.lastIndex(of: 0x0A) else { return update }
        let complete = pending[pending.startIndex ... lastNewline]
        for line in complete.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            linesRead += 1
            guard !line.isEmpty else { continue }
            do {
                let entries = try MetricsLog.readEntries(data: Data(line), source: path, firstLine: linesRead)
                update.records += entries.epochs
                update.evaluations += entries.evaluations
            } catch let error as CheckpointError {
                update.problem = update.problem ?? error
            } catch {
                update.problem = update.problem ?? CheckpointError(path, "line \(linesRead): \(error)")
            }
        }
        pending = Data(pending[(lastNewline + 1)...])
        return update
    }

    private mutating func reset() {
        offset = 0
        pending = Data()
        linesRead = 0
        identity = nil
    }
}
