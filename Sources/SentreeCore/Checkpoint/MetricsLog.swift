import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A JSON value of a metrics-log field.
public enum JSONScalar: Sendable, Equatable {
    case int(Int), double(Double), string(String), bool(Bool)

    var json: Any {
        switch self {
        case .int(let v): v
        case .double(let v): v
        case .string(let v): v
        case .bool(let v): v
        }
    }
}

/// Appends one JSON object per line to a run's `metrics.jsonl`.
///
/// Epoch lines have the keys of `EpochRecord`; steering lines have `"event"` (`pause`,
/// `resume`, `learning_rate`, `extend` with the run's new `epochs`, or `diverged` when
/// training stopped on it), the epoch and step, the learning rate and a UTC `time`;
/// `evaluation` events hold dev scored inside an epoch (`EvaluationRecord`). Each
/// line is one `write` on an `O_APPEND` descriptor, so a crash never leaves a partial line
/// between two whole ones.
public struct MetricsLog: Sendable {
    public let path: String
    /// Faults injected into appends (tests only).
    public let faults: WriteFaults?

    public init(path: String, faults: WriteFaults? = nil) {
        self.path = path
        self.faults = faults
    }

    public func appendEpoch(_ record: EpochRecord) throws {
        try append(Self.line(for: record))
    }

    /// The line `appendEpoch` writes for `record`, without its newline.
    public static func line(for record: EpochRecord) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(record)
    }

    public func appendEvent(name: String, fields: [String: JSONScalar]) throws {
        var object = fields.mapValues(\.json)
        object["event"] = name
        object["time"] = ISO8601DateFormatter().string(from: Date())
        try append(JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    private func append(_ line: Data) throws {
        if let code = faults?.inject(path) {
            throw CheckpointError(path, "cannot append: \(errnoText(code))")
        }
        // O_NOFOLLOW: a metrics.jsonl that is a link would append this run's lines elsewhere.
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw CheckpointError(path, "cannot open: \(errnoText())") }
        defer { close(fd) }
        let bytes = line + Data([0x0A])
        let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress!, $0.count) }
        guard n == bytes.count else {
            // A short append (full disk) would leave half a line that the next one completes
            // into garbage: cut it off again.
            var info = stat()
            if n > 0, fstat(fd, &info) == 0 { _ = ftruncate(fd, info.st_size - off_t(n)) }
            throw CheckpointError(path, "cannot append: \(errnoText(n < 0 ? errno : ENOSPC))")
        }
    }

    /// Drops the lines written after a checkpoint, so a resumed run does not log the lost
    /// epochs twice: epoch lines after `epoch`, and events after `step`. Atomic.
    public func truncate(afterEpoch epoch: Int, step: Int) throws {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        var kept = Data()
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] {
                if object["event"] != nil, let s = object["step"] as? Int, s > step { continue }
                if object["event"] == nil, let e = object["epoch"] as? Int, e > epoch { continue }
            }
            kept.append(contentsOf: line)
            kept.append(0x0A)
        }
        if kept != data { try AtomicFile.write(kept, to: path) }
    }

    /// Reads the epoch lines, skipping events.
    public static func readEpochs(from path: String) throws -> [EpochRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError(path, "no such file")
        }
        return try readEpochs(data: data, source: path)
    }

    /// Reads the epoch lines of a log's bytes, skipping events; see `readEntries`.
    public static func readEpochs(data: Data, source: String, firstLine: Int = 1) throws -> [EpochRecord] {
        try readEntries(data: data, source: source, firstLine: firstLine).epochs
    }

    /// Reads the epoch lines and the `evaluation` events (dev scored inside an epoch) of a
    /// log's bytes, skipping the steering events; `source` names it in errors. Kept apart
    /// from the file system so the fuzzer and tests can feed bytes directly. A record out of
    /// range (`EpochRecord.problem`, `EvaluationRecord.problem`) is refused like a malformed
    /// one. `firstLine` is the number of the first line in the whole file, for a reader that
    /// tails the log in pieces.
    public static func readEntries(data: Data, source: String, firstLine: Int = 1) throws -> MetricsEntries {
        var entries = MetricsEntries()
        for (i, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw CheckpointError(source, "line \(i + firstLine): not a JSON object")
            }
            // The line's record, refused by line number when malformed or out of range.
            func decode<T: Decodable>(_: T.Type, _ what: String, problem: (T) -> String?) throws -> T {
                guard let record = try? JSONDecoder().decode(T.self, from: Data(line)) else {
                    throw CheckpointError(source, "line \(i + firstLine): not \(what)")
                }
                if let problem = problem(record) {
                    throw CheckpointError(source, "line \(i + firstLine): \(problem)")
                }
                return record
            }
            if let event = object["event"] {
                guard event as? String == "evaluation" else { continue }
                entries.evaluations.append(
                    try decode(EvaluationRecord.self, "an evaluation event") { $0.problem })
            } else {
                entries.epochs.append(try decode(EpochRecord.self, "an epoch record") { $0.problem })
            }
        }
        return entries
    }
}

/// What readers take from a metrics log: its epoch lines and its dev evaluations inside
/// epochs, each oldest first.
public struct MetricsEntries: Sendable, Equatable {
    public var epochs: [EpochRecord] = []
    public var evaluations: [EvaluationRecord] = []

    public init(epochs: [EpochRecord] = [], evaluations: [EvaluationRecord] = []) {
        self.epochs = epochs
        self.evaluations = evaluations
    }
}
