import Foundation
import SentreeCore
import Testing

@testable import SentreeDashboard

/// The runs table names what its numbers are: a binary-task run's argmax accuracies are over
/// negative, neutral and positive (`3c.all`, `3c.root`), never SST's 5 classes (`f.all`,
/// `f.root`); a table of both tasks gives each its own columns.
@Suite struct RunsTaskColumnsTests {
    /// The fixture's first runs, the first `binary` of them on the binary task.
    static func runs(_ count: Int, binary: Int) -> [ComparedRun] {
        (0 ..< count).map { k in
            var run = Fixture.comparedRun(k, epochs: 6)
            if k < binary { run.config.task = .binary }
            return run
        }
    }

    static func table(_ runs: [ComparedRun], width: Int, ensemble: EnsembleSummary? = nil) -> [String] {
        var grid = CellGrid(width: width, height: runs.count + 3)
        renderRuns(
            RunsPanelInput(runs: runs, viewOnly: true, ensemble: ensemble), &grid,
            Rect(x: 0, y: 0, width: width, height: runs.count + 3), RenderOptions())
        return (0 ..< grid.height).map(grid.line)
    }

    /// The text under `column` (right-aligned under its title) in the row of `name`.
    static func cell(_ lines: [String], column: String, row name: String) -> String? {
        guard let row = lines.first(where: { $0.contains(name) }),
            let title = lines[1].range(of: " \(column)")
        else { return nil }
        let end = lines[1].distance(from: lines[1].startIndex, to: title.upperBound)
        let chars = Array(row)
        var start = end
        while start > 0 && chars[start - 1] != " " { start -= 1 }
        return String(chars[start ..< end])
    }

    static func percent(_ v: Double?) -> String? { v.map { String(format: "%.2f", 100 * $0) } }

    @Test(arguments: [120, 80])
    func binaryRunsShowTheirThreeClassFiguresUnderThreeClassTitles(_ width: Int) throws {
        let runs = Self.runs(2, binary: 2)
        let lines = Self.table(runs, width: width)
        let header = lines[1]
        #expect(!header.contains("f.root") && !header.contains("f.all"), "\(header)")
        #expect(header.contains(" 3c.root ") && header.contains(" b.root"), "\(header)")
        if width >= 120 { #expect(header.contains("best 3c.all 3c.root b.root b.all"), "\(header)") }
        // The figures are those of the best evaluation by binary root.
        for run in runs {
            let best = try #require(run.best)
            #expect(Self.cell(lines, column: "3c.root", row: run.name) == Self.percent(best.fineRoot))
            #expect(Self.cell(lines, column: "b.root", row: run.name) == Self.percent(best.binaryRoot))
        }
    }

    @Test func fineRunsKeepTheirTitles() {
        let header = Self.table(Self.runs(2, binary: 0), width: 120)[1]
        #expect(header.contains("best f.all f.root b.root b.all"), "\(header)")
        #expect(!header.contains("3c."), "\(header)")
    }

    /// Fine and binary runs side by side: each argmax figure in its task's column, the other
    /// task's left blank, so a 5-class root never sits under a 3-class one.
    @Test(arguments: [120, 80])
    func aMixedTableGivesEachTaskItsOwnColumns(_ width: Int) throws {
        let runs = Self.runs(3, binary: 1)
        let lines = Self.table(runs, width: width)
        let header = lines[1]
        #expect(header.contains(" f.root ") && header.contains(" 3c.root ") && header.contains(" b.root"))
        if width >= 120 { #expect(header.contains("f.all f.root 3c.all 3c.root b.root b.all"), "\(header)") }
        let (binary, fine) = (runs[0], runs[1])
        #expect(Self.cell(lines, column: "3c.root", row: binary.name) == Self.percent(binary.best?.fineRoot))
        #expect(
            Self.cell(lines, column: "f.root", row: binary.name) == "", "\(lines.joined(separator: "\n"))")
        #expect(Self.cell(lines, column: "f.root", row: fine.name) == Self.percent(fine.best?.fineRoot))
        #expect(Self.cell(lines, column: "3c.root", row: fine.name) == "")
        for run in [binary, fine] {
            #expect(Self.cell(lines, column: "b.root", row: run.name) == Self.percent(run.best?.binaryRoot))
        }
    }

    /// The ensemble of binary runs fills the 3-class columns with its averaged figures.
    @Test func theEnsembleRowFollowsItsMembersTask() throws {
        var m = Metrics(classes: 3)
        m.confusionRoot = [[3, 0, 1], [0, 0, 0], [1, 0, 5]]
        m.confusionAll = [[10, 2, 1], [1, 20, 1], [1, 2, 12]]
        let lines = Self.table(
            Self.runs(2, binary: 2), width: 120, ensemble: EnsembleSummary(members: [0, 1], metrics: m))
        #expect(Self.cell(lines, column: "3c.root", row: "ensemble") == Self.percent(m.fineRoot), "\(lines)")
        #expect(Self.cell(lines, column: "3c.all", row: "ensemble") == Self.percent(m.fineAll))
        #expect(Self.cell(lines, column: "b.root", row: "ensemble") == Self.percent(m.binaryRoot))
        // Beside a fine run, the fine columns of a binary ensemble stay blank.
        let mixed = Self.table(
            Self.runs(3, binary: 2), width: 120, ensemble: EnsembleSummary(members: [0, 1], metrics: m))
        #expect(Self.cell(mixed, column: "f.root", row: "ensemble") == "", "\(mixed)")
        #expect(Self.cell(mixed, column: "3c.root", row: "ensemble") == Self.percent(m.fineRoot))
    }

    /// The views fed from the same runs: the accuracy overlay and the length comparison name
    /// the 3-class argmax of binary runs, and both names when the tasks are mixed.
    @Test func theCompareViewsNameTheArgmaxOfEachTask() {
        let binary = Self.runs(2, binary: 2), mixed = Self.runs(2, binary: 1)
        #expect(CompareMetric.fineRoot.name(task: OverlayRuns(runs: binary).task) == "3-class root")
        #expect(CompareMetric.fineAll.name(task: OverlayRuns(runs: mixed).task) == "fine/3-class all")
        #expect(CompareMetric.binaryRoot.name(task: OverlayRuns(runs: mixed).task) == "binary root")
        #expect(CompareMetric.fineRoot.name(task: OverlayRuns(runs: []).task) == "fine root")
        let dev = try! Treebank.parse(Fixture.devText, source: "dev")
        var runs = mixed
        for k in runs.indices { runs[k].metrics = CompareLengthTests.metrics(dev, perfect: k == 0) }
        var grid = CellGrid(width: 60, height: 8)
        renderCompareLengths(
            CompareLengthsInput(runs: runs), &grid, Rect(x: 0, y: 0, width: 60, height: 8), RenderOptions())
        #expect(grid.line(1).hasPrefix(" words roots root ●A    3-cl root ■B    fine"), "\(grid.text)")
        #expect(grid.line(7).contains("fine/3-cl: all nodes"), "\(grid.text)")
        var one = CellGrid(width: 60, height: 8)
        renderLengths(
            LengthPanelInput(metrics: runs[0].metrics, argmax: argmaxLabel(.binary)), &one,
            Rect(x: 0, y: 0, width: 60, height: 8), RenderOptions())
        #expect(one.line(1).hasPrefix(" words  nodes   3-cl  roots   root"), "\(one.text)")
    }
}
