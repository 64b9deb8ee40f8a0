import Foundation
import Testing
@testable import SentreeCore

/// `sentree export`'s tables of runs with and without dev evaluations inside epochs.
@Suite struct RunTableTests {
    let dir: String

    init() throws { dir = try makeTemporaryDirectory("sentree-runtable") }

    /// A run of two epochs; with `inner`, an evaluation at 0.25 and the best one at 1.25.
    func run(_ name: String, inner: Bool) throws -> ExportedRun {
        var config = TrainingConfig()
        if inner { config.devEvery = .epochFraction(0.25) }
        let path = dir + "/" + name
        let run = try RunDirectory.create(at: path, config: config)
        let log = MetricsLog(path: run.files.metricsPath)
        if inner { try appendEvaluation(log, epoch: 1, step: 1, position: 0.25, root: 0.3) }
        try log.appendEpoch(loggedEpoch(1, root: 0.4))
        if inner { try appendEvaluation(log, epoch: 2, step: 5, position: 1.25, root: 0.5) }
        try log.appendEpoch(loggedEpoch(2, root: 0.45))
        run.release()
        return ExportedRun(record: try RunRecord.open(path))
    }

    /// Runs without `--dev-every` export exactly the columns and rows they always had.
    @Test func runsWithoutEvaluationsKeepTheirTable() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try run("plain", inner: false)
        let table = RunTable.epochs([plain])
        #expect(
            Array(table.header.suffix(9)) == [
                "epoch", "train_loss", "fine_all", "fine_root", "binary_root", "binary_all", "seconds",
                "trees_per_second", "learning_rate",
            ])
        #expect(table.header.count == 3 + RunTable.configColumns.count + 9)
        #expect(table.rows.map { $0[table.header.count - 9] } == ["1", "2"])
        let summary = RunTable.summary([plain])
        let row = try #require(summary.rows.first)
        let cell = { (name: String) in row[summary.header.firstIndex(of: name)!] }
        #expect(cell("best_epoch") == "2" && cell("train_loss") == "0.5" && cell("fine_root") == "0.45")
    }

    @Test func evaluationRowsComeInTheOrderTheyHappenedWithTheirPlace() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = RunTable.epochs([try run("plain", inner: false), try run("inner", inner: true)])
        #expect(Array(table.header.suffix(3)) == ["learning_rate", "position", "kind"])
        let column = { (name: String) in table.header.firstIndex(of: name)! }
        #expect(
            table.rows.map { $0[column("kind")] } == [
                "epoch", "epoch", "evaluation", "epoch", "evaluation", "epoch",
            ])
        #expect(table.rows.map { $0[column("position")] } == ["1", "2", "0.25", "1", "1.25", "2"])
        let inner = table.rows[4]
        #expect(inner[column("epoch")] == "2" && inner[column("fine_root")] == "0.5")
        #expect(inner[column("fine_all")] == "0.71" && inner[column("learning_rate")] == "0.02")
        #expect(inner[column("train_loss")] == "" && inner[column("seconds")] == "")
        #expect(inner[column("trees_per_second")] == "")
        #expect(table.rows[5][column("train_loss")] == "0.5")
    }

    @Test func theSummaryNamesABestInsideAnEpochAsTrainDid() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let summary = RunTable.summary([try run("inner", inner: true)])
        let row = try #require(summary.rows.first)
        let cell = { (name: String) in row[summary.header.firstIndex(of: name)!] }
        #expect(cell("best_epoch") == "1.25" && cell("fine_root") == "0.5" && cell("fine_all") == "0.71")
        #expect(cell("train_loss") == "" && cell("epochs_done") == "2")
    }

    /// A sweep's trials that differ in a recipe setting or the task are separate groups of
    /// `summary`; seeds of one setting pool (they did not before those settings had columns).
    @Test func theSummaryGroupsTrialsByEverySetting() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func trial(
            _ name: String, seed: UInt64, leaf: Double? = nil, task: SentimentTask? = nil
        ) throws
            -> ExportedRun
        {
            var config = TrainingConfig()
            config.seed = seed
            config.leafDropout = leaf
            config.task = task
            if task == .binary { config.neutralRoots = .keep }
            let path = dir + "/" + name
            let run = try RunDirectory.create(at: path, config: config)
            try MetricsLog(path: run.files.metricsPath).appendEpoch(loggedEpoch(1, root: 0.4))
            run.release()
            return ExportedRun(record: try RunRecord.open(path), sweep: "s", trial: name)
        }
        let runs = [
            try trial("a-s1", seed: 1), try trial("a-s2", seed: 2), try trial("b-s1", seed: 1, leaf: 0.25),
            try trial("c-s1", seed: 1, task: .binary),
        ]
        let summary = RunTable.summary(runs)
        let groups = summary.rows.filter { $0[0] == "group" }
        let column = { (name: String) in try #require(summary.header.firstIndex(of: name)) }
        #expect(groups.map { $0[1] } == ["s", "s", "s"])
        #expect(try groups.map { $0[try column("runs")] } == ["2", "1", "1"])
        #expect(try groups.map { $0[try column("seed")] } == ["1 2", "1", "1"])
        #expect(try groups.map { $0[try column("leaf_dropout")] } == ["0.0", "0.25", "0.0"])
        #expect(try groups.map { $0[try column("task")] } == ["fine", "fine", "binary"])
        #expect(try groups.map { $0[try column("neutral_roots")] } == ["", "", "keep"])
    }
}
