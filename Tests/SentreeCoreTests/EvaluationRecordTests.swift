import Foundation
import Testing
@testable import SentreeCore

/// Readers of a finished run take the dev evaluations inside epochs (`--dev-every`, logged as
/// `evaluation` events) into account: the best, its place and the export rows.
@Suite struct EvaluationRecordTests {
    let dir: String

    init() throws { dir = try makeTemporaryDirectory("sentree-evaluations") }

    /// A run of 3 epochs of 4 steps with evaluations at each half epoch; the best fine root
    /// (0.48) is the one half-way through epoch 2, between epoch ends of 0.45 and 0.46.
    func makeRun(task: SentimentTask = .fine) throws -> String {
        var config = TrainingConfig()
        config.epochs = 3
        config.devEvery = .epochFraction(0.5)
        if task == .binary { config.task = .binary }
        let path = dir + "/run-\(task.rawValue)"
        let run = try RunDirectory.create(at: path, config: config)
        let log = MetricsLog(path: run.files.metricsPath)
        try appendEvaluation(log, epoch: 1, step: 2, position: 0.5, root: 0.30, binary: 0.90)
        try log.appendEpoch(loggedEpoch(1, root: 0.45))
        try log.appendEvent(name: "pause", fields: ["epoch": .int(2), "step": .int(5)])
        try appendEvaluation(log, epoch: 2, step: 6, position: 1.5, root: 0.48, best: true)
        try log.appendEpoch(loggedEpoch(2, root: 0.46))
        try appendEvaluation(log, epoch: 3, step: 10, position: 2.5, root: 0.48)
        try log.appendEpoch(loggedEpoch(3, root: 0.40))
        run.release()
        return path
    }

    @Test func theBestIsTheEvaluationInsideAnEpochWithItsPlace() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let record = try RunRecord.open(try makeRun())
        #expect(record.epochs.map(\.epoch) == [1, 2, 3])
        #expect(record.evaluations.map(\.position) == [0.5, 1.5, 2.5])
        #expect(record.evaluations.map(\.best) == [false, true, false])
        let best = try #require(record.best)
        // The first of the two 0.48s, a half into epoch 2: as train names it.
        #expect(best.position == 1.5 && best.epoch == 2 && best.fineRoot == 0.48 && best.fineAll == 0.71)
        #expect(best.place == "1.50" && best.trainLoss == nil)
        let summary = runSummary(
            epoch: best.epoch, fineRoot: best.fineRoot, fineAll: best.fineAll, binaryRoot: best.binaryRoot,
            run: record.files, position: best.position)
        #expect(summary.hasPrefix("best dev fine root 48.00% at epoch 1.50 (fine all 71.00%"))
    }

    @Test func theBinaryTaskPicksByBinaryRootAmongEvaluationsToo() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let record = try RunRecord.open(try makeRun(task: .binary))
        let best = try #require(record.best)
        #expect(best.position == 0.5 && best.binaryRoot == 0.90 && best.place == "0.50")
    }

    @Test func equalScoresKeepTheEarlierInTheOrderTheyHappened() {
        let inner = [
            EvaluationRecord(
                epoch: 2, step: 6, position: 1.5, fineAll: 0.7, fineRoot: 0.45, binaryRoot: 0.8,
                binaryAll: 0.8, learningRate: 0.02, best: false)
        ]
        // Epoch 1's end ties the evaluation at 1.5 and came first; the evaluation at 1.5 ties
        // epoch 2's end and came first.
        #expect(
            SentimentTask.fine.best(
                epochs: [loggedEpoch(1, root: 0.45), loggedEpoch(2, root: 0.4)], evaluations: inner)?
                .place == "1")
        #expect(
            SentimentTask.fine.best(
                epochs: [loggedEpoch(1, root: 0.4), loggedEpoch(2, root: 0.45)], evaluations: inner)?
                .place == "1.50")
    }

    /// A run without `--dev-every` has the best it always had: the first best epoch end,
    /// with its loss, named by its number.
    @Test func withoutEvaluationsTheBestIsTheEpochAsBefore() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/plain"
        let run = try RunDirectory.create(at: path, config: TrainingConfig())
        let log = MetricsLog(path: run.files.metricsPath)
        for (e, root) in [0.40, 0.45, 0.45, 0.41].enumerated() {
            try log.appendEpoch(loggedEpoch(e + 1, root: root))
        }
        try log.appendEvent(name: "pause", fields: ["epoch": .int(4), "step": .int(3)])
        run.release()
        let record = try RunRecord.open(path)
        #expect(record.evaluations.isEmpty)
        #expect(record.best == BestEvaluation(loggedEpoch(2, root: 0.45)))
        #expect(record.best?.place == "2" && record.best?.position == nil && record.best?.trainLoss == 0.5)
    }

    @Test func aBadEvaluationLineIsRefusedByLineAndKey() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try makeRun()
        let metrics = path + "/metrics.jsonl"
        var record = try RunRecord.open(path)
        let log = MetricsLog(path: metrics)
        // Lines 8 to 10: a position outside its epoch (epoch 4 runs from 3 to below 4), an
        // evaluation without its figures, and a good one that is still read.
        try appendEvaluation(log, epoch: 4, step: 14, position: 4.5, root: 0.5)
        try log.appendEvent(name: "evaluation", fields: ["epoch": .int(4)])
        try appendEvaluation(log, epoch: 4, step: 14, position: 3.5, root: 0.2)
        let message = "line 8: 'position' must be inside epoch 4, from 3 to below 4 (got 4.5)"
        #expect(record.refresh() == CheckpointError(metrics, message))
        #expect(record.evaluations.map(\.position) == [0.5, 1.5, 2.5, 3.5])
        let lines = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n")
        #expect(throws: CheckpointError(metrics, "line 9: not an evaluation event")) {
            try MetricsLog.readEntries(data: Data(lines[8].utf8), source: metrics, firstLine: 9)
        }
        #expect(throws: CheckpointError(metrics, message)) {
            try MetricsLog.readEpochs(from: metrics)
        }
    }

    @Test func aCheckpointSavedAtAnEvaluationIsNamedByItsPlace() {
        let evaluations = [
            EvaluationRecord(
                epoch: 9, step: 130, position: 8.25, fineAll: 0.7, fineRoot: 0.51, binaryRoot: 0.8,
                binaryAll: 0.8, learningRate: 0.02, best: true)
        ]
        var progress = TrainingProgress(
            epochsCompleted: 8, stepInEpoch: 2, globalStep: 130, learningRate: 0.02, bestFineRoot: 0.51,
            bestEpoch: 9, elapsedSeconds: 1)
        #expect(progress.place(evaluations: evaluations) == "8.25")
        #expect(progress.savedEvaluation(in: evaluations) == evaluations[0])
        // Saved inside an epoch at another step (a stop), or at an epoch's end: the epochs done.
        progress.globalStep = 131
        #expect(progress.place(evaluations: evaluations) == "8")
        (progress.stepInEpoch, progress.globalStep) = (0, 130)
        #expect(progress.place(evaluations: evaluations) == "8")
    }
}
