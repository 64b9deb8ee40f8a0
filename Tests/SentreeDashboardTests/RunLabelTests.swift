import SentreeCore
import Testing
@testable import SentreeDashboard

/// Runs you can tell apart: labels that differ, and the settings that differ kept visible.
@Suite struct RunLabelTests {
    /// Two seeds of one model, named by their start time as `train` names them.
    static func seeds() -> [ComparedRun] {
        (0 ..< 2).map { k in
            var run = Fixture.comparedRun(0, epochs: 5)
            run.name = "rnn-20261204-23151\(k + 2)"
            run.config.seed = UInt64(k + 1)
            return run
        }
    }

    @Test func labelsOfRunsThatShareAStartKeepTheirEnds() {
        let names = ["rnn-20261204-231512", "rnn-20261204-231530"]
        #expect(runLabels(names, width: 14, ellipsis: "…") == ["…261204-231512", "…261204-231530"])
        let starts = runLabels(["rntn-lr-0.008-long", "rnn-base"], width: 12, ellipsis: "~")
        #expect(starts == ["rntn-lr-0.0~", "rnn-base"])
        #expect(runLabels(names, width: 30, ellipsis: "…") == names)
    }

    @Test(arguments: [80, 120])
    func twoSeedsDifferInTheRunsTable(width: Int) {
        var grid = CellGrid(width: width, height: 4)
        renderRuns(
            RunsPanelInput(runs: Self.seeds()), &grid, Rect(x: 0, y: 0, width: width, height: 4),
            RenderOptions())
        let header = grid.line(1), a = grid.line(2), b = grid.line(3)
        #expect(header.contains(" seed "), "\(header)")
        #expect(a != b, "\(a)\n\(b)")
        // The rows differ in their names and their seeds, whatever else was left out.
        let name = runLayout(width: width, runs: Self.seeds()).name
        #expect(a.dropFirst(5).prefix(name) != b.dropFirst(5).prefix(name), "\(a)\n\(b)")
    }

    @Test func fiveRunsAt80ColumnsKeepTheSettingsThatDiffer() {
        let runs = (0 ..< 5).map { Fixture.comparedRun($0, epochs: 8 - $0) }
        let layout = runLayout(width: 80, runs: runs)
        let titles = layout.columns.map(\.title)
        for kept in ["lr", "seed", "l2", "dropout", "model", "f.root", "b.root"] {
            #expect(titles.contains(kept), "\(titles)")
        }
        // The optimizer and batch are the same for all five: they give way first.
        #expect(!titles.contains("opt") && !titles.contains("batch"), "\(titles)")
    }
}
