import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// The watcher that feeds `sentree view` and `train --compare` from run folders on disk.
@Suite struct RunWatcherTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "/sentree-watcher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// A checkpoint of a small rnn over the fixture's dev words, after `epoch` epochs.
    func checkpoint(epoch: Int, seed: UInt64) throws -> Checkpoint {
        let dev = try Fixture.setup().dev
        let vocabulary = Vocabulary.build(from: dev, lowercase: true)
        let model = ModelConfig(kind: .rnn, dim: 4, vocabularySize: vocabulary.words.count)
        let layout = ParameterLayout(model)
        let progress = TrainingProgress(
            epochsCompleted: epoch, stepInEpoch: 0, globalStep: 4 * epoch, learningRate: 0.02,
            bestFineRoot: 0.5, bestEpoch: epoch, elapsedSeconds: 1)
        return Checkpoint(
            config: TrainingConfig(), model: model, parameters: layout.initialParameters(seed: seed),
            optimizerState: [], vocabulary: vocabulary.words, lowercase: true, progress: progress,
            history: [])
    }

    func epoch(_ e: Int) -> EpochRecord {
        EpochRecord(
            epoch: e, trainLoss: 1, fineAll: 0.7, fineRoot: 0.4, binaryRoot: 0.8, binaryAll: 0.85, seconds: 1,
            treesPerSecond: 100, learningRate: 0.02)
    }

    /// A run with one epoch logged and a `best` checkpoint.
    func makeRun() throws -> String {
        let path = dir + "/run"
        let run = try RunDirectory.create(at: path, config: TrainingConfig())
        try MetricsLog(path: run.files.metricsPath).appendEpoch(epoch(1))
        try checkpoint(epoch: 1, seed: 1).write(to: run.files.bestPath)
        run.release()
        return path
    }

    @Test func followsEpochsAndReloadsAChangedCheckpoint() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try makeRun()
        let setup = try Fixture.setup()
        let watcher = RunWatcher(records: [try RunRecord.open(path)], dev: setup.dev, interval: 0)
        var s = DashboardState(setup: setup)
        s.compare = watcher.makeState(viewOnly: true)
        s.showPickedRun()
        var run = try #require(s.compare?.runs.first)
        #expect(run.outcomes.count == setup.dev.count && run.snapshot?.step == 4)
        #expect(run.checkpointNote == "best, epoch 1")
        #expect(s.outcomes == run.outcomes, "the picked run's trees are the browser's")

        // The trainer logs an epoch and replaces best: both reach the state, and the tree
        // view is predicted again.
        try MetricsLog(path: path + "/metrics.jsonl").appendEpoch(epoch(2))
        try checkpoint(epoch: 2, seed: 7).write(to: path + "/best.safetensors")
        s.predictionStep = 4
        watcher.poll(&s)
        run = try #require(s.compare?.runs.first)
        #expect(run.epochs.map(\.epoch) == [1, 2])
        #expect(run.checkpointNote == "best, epoch 2" && run.snapshot?.step == 8)
        #expect(s.predictionStep == nil && s.outcomes == run.outcomes)

        // Nothing changed: nothing is loaded again, and the view is told so (it draws no
        // frame: redrawing a 200,000-epoch log ten times a second kept a core busy).
        let before = try #require(s.compare?.runs.first?.snapshot)
        #expect(!watcher.poll(&s))
        #expect(s.compare?.runs.first?.snapshot === before)
        try MetricsLog(path: path + "/metrics.jsonl").appendEvent(name: "pause", fields: ["epoch": .int(2)])
        #expect(!watcher.poll(&s), "an event line changes no epoch")
        try MetricsLog(path: path + "/metrics.jsonl").appendEpoch(epoch(3))
        #expect(watcher.poll(&s))
        #expect(!watcher.poll(&s))
        try FileManager.default.removeItem(atPath: path + "/metrics.jsonl")
        try MetricsLog(path: path + "/metrics.jsonl").appendEpoch(epoch(1))
        try MetricsLog(path: path + "/metrics.jsonl").appendEpoch(epoch(2))

        // b: the last checkpoint, which this run does not have yet.
        _ = s.handle(.char("b"))
        watcher.poll(&s)
        run = try #require(s.compare?.runs.first)
        #expect(run.checkpointNote == "no last checkpoint yet" && run.outcomes.isEmpty && s.outcomes.isEmpty)
        try checkpoint(epoch: 2, seed: 3).write(to: path + "/last.safetensors")
        watcher.poll(&s)
        #expect(s.compare?.runs.first?.checkpointNote == "last, epoch 2")

        // A line that is not an epoch is reported in the status line and skipped.
        let handle = try #require(FileHandle(forWritingAtPath: path + "/metrics.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("oops\n".utf8))
        try handle.close()
        try MetricsLog(path: path + "/metrics.jsonl").appendEpoch(epoch(3))
        watcher.poll(&s)
        #expect(
            s.messageIsError && s.message == "\(path)/metrics.jsonl: line 3: not a JSON object (line skipped)"
        )
        #expect(s.compare?.runs.first?.epochs.map(\.epoch) == [1, 2, 3])
    }

    @Test func aDamagedCheckpointIsNamedNotFatal() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try makeRun()
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: path + "/best.safetensors"))
        let setup = try Fixture.setup()
        let watcher = RunWatcher(records: [try RunRecord.open(path)], dev: setup.dev, interval: 0)
        let state = watcher.makeState(viewOnly: true)
        let note = try #require(state.runs.first?.checkpointNote)
        #expect(note.hasPrefix("best unreadable: \(path)/best.safetensors"), "\(note)")
        #expect(state.runs.first?.outcomes.isEmpty == true && state.runs.first?.epochs.count == 1)
    }
}
