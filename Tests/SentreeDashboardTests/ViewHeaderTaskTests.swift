import SentreeCore
import Testing

@testable import SentreeDashboard

/// `sentree view` of a binary run with word vectors at 80 columns: the task stays in the
/// header, as `SST-2` where its whole name does not fit, and the vectors (which the runs
/// table names) give way to it.
@Suite struct ViewHeaderTaskTests {
    @Test(arguments: [(120, 40), (80, 24)])
    func theTaskGoesBeforeTheVectors(_ size: (Int, Int)) throws {
        var runs = [Fixture.comparedRun(3, epochs: 3), Fixture.comparedRun(3, epochs: 2)]
        for k in runs.indices { runs[k].config.task = .binary }
        var grid = CellGrid(width: size.0, height: size.1)
        renderViewHeader(ViewHeaderInput(runs: runs), &grid, RenderOptions())
        let line = grid.line(0)
        if size.0 >= 120 {
            #expect(
                line.contains("  treelstm d=150 x=50 +glove 92%  task binary (SST-2)  lr 0.02"), "\(line)")
        } else {
            #expect(line.contains("  treelstm d=150 x=50  SST-2  "), "\(line)")
        }
        // A fine run's header has no task, as before.
        runs[0].config.task = nil
        grid = CellGrid(width: size.0, height: size.1)
        renderViewHeader(ViewHeaderInput(runs: runs), &grid, RenderOptions())
        #expect(!grid.line(0).contains("SST") && grid.line(0).contains("x=50 +glove"), "\(grid.line(0))")
    }
}
