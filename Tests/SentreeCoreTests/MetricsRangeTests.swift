import Foundation
import Testing
@testable import SentreeCore

/// Numbers in a metrics log come from outside: `view` scales its charts from them, and an
/// epoch of 2⁶² or seconds of 1e308 trapped it (issue #18, item 4).
@Suite struct MetricsRangeTests {
    static let good =
        #"{"binary_all":0.8,"binary_root":0.7,"epoch":1,"fine_all":0.75,"fine_root":0.4,"#
        + #""learning_rate":0.01,"seconds":2.5,"train_loss":1.5,"trees_per_second":3400}"#

    /// The good line with `key` set to `value` (JSON text).
    static func line(_ key: String, _ value: String) -> String {
        good.replacing(try! Regex(#""\#(key)":[^,}]*"#), with: "\"\(key)\":\(value)")
    }

    @Test(arguments: [
        ("epoch", "4611686018427387904", "'epoch' must be from 1 to 1000000"),
        ("epoch", "0", "'epoch' must be from 1 to 1000000"),
        ("seconds", "1e308", "'seconds' must be from 0 to 1000000000"),
        ("seconds", "-1", "'seconds' must be from 0"),
        ("train_loss", "-1e308", "'train_loss' must be zero or a positive number"),
        ("fine_root", "1.5", "'fine_root' must be from 0 to 1"),
        ("binary_all", "-0.1", "'binary_all' must be from 0 to 1"),
        ("trees_per_second", "-3", "'trees_per_second' must be zero or a positive number"),
        ("learning_rate", "0", "'learning_rate' must be a positive number"),
    ])
    func outOfRangeValuesNameTheFileLineAndKey(_ key: String, _ value: String, _ message: String) throws {
        let data = Data((Self.good + "\n" + Self.line(key, value) + "\n").utf8)
        let error = #expect(throws: CheckpointError.self) {
            try MetricsLog.readEpochs(data: data, source: "RUN/metrics.jsonl")
        }
        #expect(error?.path == "RUN/metrics.jsonl")
        #expect(error?.message.hasPrefix("line 2: \(message)") == true, "\(error?.message ?? "")")
    }

    /// Large but finite losses are what a diverging run logs: they are read (and drawn).
    @Test func aHugeFiniteLossAndTheLimitsThemselvesAreRead() throws {
        let lines = [
            Self.line("train_loss", "1e308"), Self.line("seconds", "1000000000"),
            Self.line("epoch", "1000000"), Self.line("fine_root", "1"),
        ]
        let records = try MetricsLog.readEpochs(
            data: Data(lines.joined(separator: "\n").utf8), source: "m")
        #expect(records.map(\.trainLoss).first == 1e308)
        #expect(records.count == 4)
    }

    /// The tail that `view` follows skips such a line and reports it.
    @Test func theTailReportsAndSkipsAnOutOfRangeLine() throws {
        let dir = try makeTemporaryDirectory("sentree-metrics-range")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/metrics.jsonl"
        let text = [Self.good, Self.line("seconds", "1e308"), Self.line("epoch", "2")].joined(separator: "\n")
        try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var tail = MetricsTail(path: path)
        let update = tail.poll()
        #expect(update.records.map(\.epoch) == [1, 2])
        #expect(update.problem?.message.hasPrefix("line 2: 'seconds' must be") == true)
    }
}
