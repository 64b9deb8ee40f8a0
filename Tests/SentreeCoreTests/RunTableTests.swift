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
}
