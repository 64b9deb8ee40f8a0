import SentreeCore
import Testing
@testable import SentreeDashboard

/// A learning rate changed during training shows as a change in the runs table, not as the
/// run's setting.
@Suite struct RunsLearningRateTests {
    @Test func aChangedRateShowsFromTheSettingToTheRateNow() {
        var changed = Fixture.comparedRun(2, epochs: 4)
        changed.config.learningRate = 0.008
        for k in changed.epochs.indices { changed.epochs[k].learningRate = k < 2 ? 0.008 : 0.005 }
        let steady = Fixture.comparedRun(0, epochs: 4)
        #expect(learningRateCell(changed) == "0.008→0.005")
        #expect(learningRateCell(steady) == "0.02")

        let input = RunsPanelInput(runs: [steady, changed])
        var grid = CellGrid(width: 120, height: 4)
        renderRuns(input, &grid, Rect(x: 0, y: 0, width: 120, height: 4), RenderOptions())
        #expect(grid.line(3).contains(" 0.008→0.005 "), "\(grid.line(3))")
        #expect(!grid.line(3).contains(" 0.005 ") && !grid.line(2).contains("→"), "\(grid.line(2))")
    }

    @Test func theViewHeaderShowsTheChange() {
        var changed = Fixture.comparedRun(2, epochs: 4)
        changed.config.learningRate = 0.008
        for k in changed.epochs.indices { changed.epochs[k].learningRate = k < 2 ? 0.008 : 0.005 }
        for width in [80, 120] {
            var grid = CellGrid(width: width, height: 2)
            renderViewHeader(ViewHeaderInput(runs: [changed]), &grid, RenderOptions())
            #expect(grid.line(0).contains("  lr 0.008→0.005  "), "\(grid.line(0))")
        }
    }
}
