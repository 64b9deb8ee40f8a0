import SentreeCore
import Testing

@testable import SentreeDashboard

/// A run the patience stopped with steps left: the header's bar and percentage stay where
/// the steps got to (they agree with `epoch 2/5  step 2/4`), and the place of the ETA says
/// why the bar will not move, until epochs are added.
@Suite struct EarlyStopHeaderTests {
    static func stopped() throws -> DashboardState {
        var s = try Fixture.state()
        s.setup.config.patience = 3
        s.apply(.stoppedEarly("stopped early at epoch 1.50 (step 6): no dev fine root gain in 3 evaluations"))
        s.apply(.state(.done))
        return s
    }

    @Test func theBarKeepsTheStepsDoneAndSaysTheRunStoppedEarly() throws {
        let s = try Self.stopped()
        // 6 steps of 5 epochs × 4.
        #expect(s.progress == 0.3)
        let wide = render(s, width: 120, height: 40).line(1)
        #expect(wide.hasPrefix(" epoch 2/5  step 2/4 "), "\(wide)")
        #expect(wide.contains(" 30% stopped early (patience 3)  1000 trees/s"), "\(wide)")
        let full = wide.filter { $0 == "█" }.count, empty = wide.filter { $0 == "░" }.count
        #expect(full > 0 && empty > 0 && full == (full + empty) * 3 / 10, "\(wide)")
        #expect(!wide.contains("ETA"), "\(wide)")
        let grid = render(s, width: 80, height: 24)
        let narrow = grid.line(1)
        #expect(narrow.contains(" 30% stopped early"), "\(narrow)")
        #expect(grid.style(x: narrow.column(of: "stopped"), y: 1) == CellStyle(.warning), "\(narrow)")
        // The whole reason stays up for a while, not in red.
        #expect(s.message?.hasPrefix("stopped early at epoch 1.50") == true && !s.messageIsError)
    }

    @Test func addedEpochsTakeTheEarlyStopBack() throws {
        var s = try Self.stopped()
        s.apply(.extended(epochs: 15))
        s.apply(.state(.running))
        #expect(!s.stoppedEarly && s.progress == 0.1)
        let line = render(s, width: 120, height: 40).line(1)
        #expect(line.contains(" 10% ETA ") && !line.contains("stopped early"), "\(line)")
    }

    /// A run that ran all its epochs ends at 100% from its steps, as before.
    @Test func aRunThatEndsItsEpochsIsComplete() throws {
        var s = try DashboardState(setup: Fixture.setup(epochs: 1))
        for k in 1 ... 4 {
            s.apply(
                .step(
                    StepEvent(
                        epoch: 1, step: k, stepInEpoch: k, stepsPerEpoch: 4, loss: 1, learningRate: 0.02,
                        treesPerSecond: 1000)))
        }
        s.apply(.state(.done))
        #expect(s.progress == 1)
        #expect(render(s, width: 120, height: 40).line(1).contains(" 100% ETA 0:00"))
    }
}
