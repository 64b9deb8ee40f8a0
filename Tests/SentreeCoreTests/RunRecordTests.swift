import Foundation
import Testing
@testable import SentreeCore

/// Reading runs without owning them (`sentree view`, `train --compare`).
@Suite struct RunRecordTests {
    let dir: String

    init() throws { dir = try makeTemporaryDirectory("sentree-runrecord") }

    func epoch(_ e: Int, root: Double) -> EpochRecord {
        EpochRecord(
            epoch: e, trainLoss: 1.0 / Double(e), fineAll: 0.7, fineRoot: root, binaryRoot: 0.8,
            binaryAll: 0.85, seconds: 0.5, treesPerSecond: 1000, learningRate: 0.02)
    }

    func line(_ record: EpochRecord) throws -> Data { try MetricsLog.line(for: record) + Data([0x0A]) }

    /// A run folder as `train` leaves it: run.json and a metrics log.
    func makeRun(_ name: String, epochs: Int = 2, config: TrainingConfig = TrainingConfig()) throws -> String
    {
        let path = dir + "/" + name
        let run = try RunDirectory.create(at: path, config: config)
        let log = MetricsLog(path: run.files.metricsPath)
        for e in 0 ..< epochs { try log.appendEpoch(epoch(e + 1, root: [0.40, 0.45, 0.45, 0.41][e % 4])) }
        run.release()
        return path
    }

    func append(_ data: Data, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(data)
        try handle.close()
    }

    @Test func pathsThatAreNotRunsAreRefusedByName() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = dir + "/nope"
        #expect(throws: CheckpointError(missing, "no such run directory")) { try RunRecord.open(missing) }
        let file = dir + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: CheckpointError(file, "is a file, not a run directory")) { try RunRecord.open(file) }
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        #expect(
            throws: CheckpointError(
                empty, "holds no sentree run (no run.json, last.safetensors or metrics.jsonl)")
        ) {
            try RunRecord.open(empty)
        }
        let garbled = dir + "/garbled"
        try FileManager.default.createDirectory(atPath: garbled, withIntermediateDirectories: false)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: garbled + "/run.json"))
        let error = try #require(throws: CheckpointError.self) { try RunRecord.open(garbled) }
        #expect(
            error.path == garbled + "/run.json" && error.message.contains("not a valid run configuration"))
        // A log with a line that is neither an epoch nor an event names its line.
        let bad = try makeRun("bad")
        try append(Data("{\"epoch\": \"three\"}\n".utf8), to: bad + "/metrics.jsonl")
        #expect(throws: CheckpointError(bad + "/metrics.jsonl", "line 3: not an epoch record")) {
            try RunRecord.open(bad)
        }
        // Metrics only (no run.json, no checkpoint): nothing says what the run is.
        let bare = dir + "/bare"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: false)
        try line(epoch(1, root: 0.4)).write(to: URL(fileURLWithPath: bare + "/metrics.jsonl"))
        #expect(throws: CheckpointError(bare, "has neither run.json nor a checkpoint to say what the run is"))
        {
            try RunRecord.open(bare)
        }
    }

    @Test func readsSettingsEpochsAndBestWithoutWritingAnything() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = TrainingConfig()
        config.dim = 12
        config.epochs = 4
        let path = try makeRun("run", epochs: 4, config: config)
        try FileManager.default.removeItem(atPath: path + "/sentree.lock")
        try append(Data("{\"event\":\"pause\",\"step\":3}\n".utf8), to: path + "/metrics.jsonl")
        let before = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        let stamp =
            try FileManager.default.attributesOfItem(atPath: path + "/metrics.jsonl")[.modificationDate]
            as? Date

        var record = try RunRecord.open(path)
        #expect(record.name == "run")
        #expect(record.config.dim == 12)
        #expect(record.epochs.map(\.epoch) == [1, 2, 3, 4])
        #expect(record.best?.epoch == 2, "the first of two equal fine roots is best, as in training")
        #expect(record.isFinished)
        #expect(record.refresh() == nil)
        // No lock file appears and nothing is touched: the run may belong to another process.
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == before)
        #expect(
            try FileManager.default.attributesOfItem(atPath: path + "/metrics.jsonl")[.modificationDate]
                as? Date == stamp)
    }

    @Test func aHalfWrittenLastLineWaitsForItsEnd() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try makeRun("run", epochs: 1)
        let third = try line(epoch(2, root: 0.5))
        try append(third.prefix(20), to: path + "/metrics.jsonl")
        var record = try RunRecord.open(path)
        #expect(record.epochs.map(\.epoch) == [1])
        #expect(record.refreshReportingChange() == (false, nil))
        try append(third.dropFirst(20), to: path + "/metrics.jsonl")
        let (changed, problem) = record.refreshReportingChange()
        #expect(changed && problem == nil)
        #expect(record.epochs.map(\.epoch) == [1, 2])
        #expect(record.best?.epoch == 2)
    }

    @Test func followsAppendsAndARewrittenLog() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try makeRun("run", epochs: 2)
        let metrics = path + "/metrics.jsonl"
        var record = try RunRecord.open(path)
        #expect(record.epochs.count == 2)
        // Another process appends epochs (as the trainer does) and a steering event.
        let log = MetricsLog(path: metrics)
        try log.appendEpoch(epoch(3, root: 0.5))
        try log.appendEvent(name: "pause", fields: ["step": .int(30)])
        try log.appendEpoch(epoch(4, root: 0.3))
        #expect(record.refreshReportingChange().changed)
        #expect(record.epochs.map(\.epoch) == [1, 2, 3, 4])
        // A bad line is reported with its line number and skipped; following goes on.
        try append(Data("garbage\n".utf8), to: metrics)
        try log.appendEpoch(epoch(5, root: 0.2))
        #expect(record.refresh() == CheckpointError(metrics, "line 6: not a JSON object"))
        #expect(record.epochs.map(\.epoch) == [1, 2, 3, 4, 5])
        // --resume trims the log back to its checkpoint, atomically: read it again (the bad
        // line stays in the log, now as line 3).
        try log.truncate(afterEpoch: 2, step: 0)
        let (changed, problem) = record.refreshReportingChange()
        #expect(changed && problem == CheckpointError(metrics, "line 3: not a JSON object"))
        #expect(record.epochs.map(\.epoch) == [1, 2])
        #expect(record.refreshReportingChange() == (false, nil))
    }

    @Test func aRunWithoutMetricsYetHasNoEpochs() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try makeRun("fresh", epochs: 0)
        var record = try RunRecord.open(path)
        #expect(record.epochs.isEmpty && record.best == nil && !record.isFinished)
        try MetricsLog(path: path + "/metrics.jsonl").appendEpoch(epoch(1, root: 0.3))
        #expect(record.refreshReportingChange().changed)
        #expect(record.epochs.count == 1)
    }
}
