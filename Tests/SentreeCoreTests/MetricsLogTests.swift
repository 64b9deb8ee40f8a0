import Foundation
import Testing
@testable import SentreeCore

@Suite struct MetricsLogTests {
    let dir: String
    let path: String

    init() throws {
        dir = try makeTemporaryDirectory("sentree-metrics")
        path = dir + "/metrics.jsonl"
    }

    func lines() throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static let epochKeys: Set<String> = [
        "epoch", "train_loss", "fine_all", "fine_root", "binary_root", "binary_all",
        "seconds", "trees_per_second", "learning_rate",
    ]

    func record(_ epoch: Int, _ x: Double) -> EpochRecord {
        EpochRecord(
            epoch: epoch, trainLoss: x, fineAll: 0.1 + 0.2, fineRoot: 1.0 / 3.0, binaryRoot: 5e-324,
            binaryAll: 0.8000000000000002, seconds: 1e-300, treesPerSecond: Double.greatestFiniteMagnitude,
            learningRate: 0.02)
    }

    @Test func epochRecordIsOneLineWithExactKeys() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = MetricsLog(path: path)
        try log.appendEpoch(
            EpochRecord(
                epoch: 3, trainLoss: 1.5, fineAll: 0.75, fineRoot: 0.4, binaryRoot: 0.8,
                binaryAll: 0.85, seconds: 2.5, treesPerSecond: 3400, learningRate: 0.01))
        let all = try lines()
        #expect(all.count == 1)
        let o = try object(all[0])
        #expect(Set(o.keys) == Self.epochKeys)
        #expect(o["epoch"] as? Int == 3)
        #expect(o["train_loss"] as? Double == 1.5)
        #expect(o["fine_all"] as? Double == 0.75)
        #expect(o["fine_root"] as? Double == 0.4)
        #expect(o["binary_root"] as? Double == 0.8)
        #expect(o["binary_all"] as? Double == 0.85)
        #expect(o["seconds"] as? Double == 2.5)
        #expect(o["trees_per_second"] as? Double == 3400)
        #expect(o["learning_rate"] as? Double == 0.01)
    }

    @Test func eventsHaveEventTimeAndTheGivenFields() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = MetricsLog(path: path)
        let before = Date().addingTimeInterval(-2)
        try log.appendEvent(
            name: "pause",
            fields: [
                "epoch": .int(2), "step": .int(41), "learning_rate": .double(0.005),
                "note": .string("naïve \"quoted\"\nline"), "manual": .bool(true),
            ])
        try log.appendEvent(name: "learning_rate", fields: [:])
        let all = try lines()
        #expect(all.count == 2)
        let o = try object(all[0])
        #expect(Set(o.keys) == ["event", "time", "epoch", "step", "learning_rate", "note", "manual"])
        #expect(o["event"] as? String == "pause")
        #expect(o["epoch"] as? Int == 2)
        #expect(o["step"] as? Int == 41)
        #expect(o["learning_rate"] as? Double == 0.005)
        #expect(o["note"] as? String == "naïve \"quoted\"\nline")
        #expect(o["manual"] as? Bool == true)
        let time = try #require(o["time"] as? String)
        let date = try #require(ISO8601DateFormatter().date(from: time), "time \(time) is not ISO 8601")
        #expect(date >= before && date <= Date().addingTimeInterval(2))
        let second = try object(all[1])
        #expect(Set(second.keys) == ["event", "time"])
        #expect(second["event"] as? String == "learning_rate")
    }

    @Test func readEpochsSkipsEventsAndRoundTripsDoublesExactly() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = MetricsLog(path: path)
        let records = [
            record(1, 1.6094379124341003), record(2, 0.1 + 0.7), record(3, 1.0000000000000002e-7),
            record(4, 2.2250738585072014e-308),
        ]
        try log.appendEpoch(records[0])
        try log.appendEvent(name: "pause", fields: ["epoch": .int(2), "learning_rate": .double(0.02)])
        try log.appendEpoch(records[1])
        try log.appendEvent(name: "resume", fields: ["epoch": .int(2)])
        try log.appendEpoch(records[2])
        try log.appendEpoch(records[3])
        #expect(try lines().count == 6)
        let read = try MetricsLog.readEpochs(from: path)
        #expect(read.map(\.epoch) == [1, 2, 3, 4])
        for (a, b) in zip(read, records) {
            let fields: [(EpochRecord) -> Double] = [
                \.trainLoss, \.fineAll, \.fineRoot, \.binaryRoot, \.binaryAll,
                \.seconds, \.treesPerSecond, \.learningRate,
            ]
            for f in fields {
                #expect(f(a).bitPattern == f(b).bitPattern, "epoch \(a.epoch): \(f(a)) != \(f(b))")
            }
        }
    }

    @Test func appendsToAnExistingLog() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try MetricsLog(path: path).appendEpoch(record(1, 1))
        try MetricsLog(path: path).appendEpoch(record(2, 2))
        #expect(try MetricsLog.readEpochs(from: path).map(\.epoch) == [1, 2])
    }

    @Test func malformedLineNamesPathAndLine() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = MetricsLog(path: path)
        try log.appendEpoch(record(1, 1))
        try log.appendEvent(name: "pause", fields: [:])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n{\"epoch\": 2, \"train_loss\": \n".utf8))
        try handle.close()
        let error = #expect(throws: CheckpointError.self) { try MetricsLog.readEpochs(from: path) }
        #expect(error?.path == path)
        // Line 3 is blank (skipped but counted); the broken object is line 4.
        #expect(error?.description.hasPrefix(path + ": line 4") == true, "\(String(describing: error))")
    }

    @Test func objectThatIsNotAnEpochRecordIsAnError() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try MetricsLog(path: path).appendEpoch(record(1, 1))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"epoch\": \"two\"}\n".utf8))
        try handle.close()
        let error = #expect(throws: CheckpointError.self) { try MetricsLog.readEpochs(from: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test func readsBytesAsTheFileReaderDoesAndNamesTheSource() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let line = try MetricsLog.line(for: record(7, 0.5))
        let bytes = line + Data("\n{\"event\":\"pause\",\"step\":3}\n\n".utf8) + line
        let records = try MetricsLog.readEpochs(data: bytes, source: "memory")
        #expect(records == [record(7, 0.5), record(7, 0.5)])
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(try MetricsLog.readEpochs(from: path) == records)
        let error = #expect(throws: CheckpointError.self) {
            try MetricsLog.readEpochs(data: Data("\n{}\n".utf8), source: "memory")
        }
        #expect(error?.description == "memory: line 2: not an epoch record")
    }

    @Test func missingLogIsAnError() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: CheckpointError.self) { try MetricsLog.readEpochs(from: path) }
        #expect(error?.path == path)
        #expect(throws: CheckpointError.self) {
            try MetricsLog(path: dir + "/missing/metrics.jsonl").appendEpoch(record(1, 1))
        }
    }
}
