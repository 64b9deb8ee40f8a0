import Foundation
import Testing

/// The dashboard of a run with `--dev-every`, a plateau and patience, in a real terminal:
/// evaluations inside epochs in the accuracy table, the cut rate in the header, the early
/// stop's reason, and the place of the best evaluation in the summary after quitting.
@Suite(.serialized) struct RecipeScheduleDashboardEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func aRunWithADevScheduleShowsItsEvaluationsAndWhyItStopped(_ width: Int, _ height: Int) throws {
        let tmux = TmuxSession()
        // 15 steps per epoch: evaluations after steps 4, 8 and 12 of each (0.27, 0.53, 0.80); the
        // rate is too small to gain often, so the patience ends the run within seconds.
        let run = try DashboardEndToEndTests().startTraining(
            tmux, width: width, height: height, environment: "",
            arguments: "--dev-every 0.25ep --lr-plateau 1 --patience 3")
        let screen = try tmux.waitFor(60, "the early stop") {
            $0.contains("DONE") && $0.contains("stopped early at")
        }
        // A row of the accuracy table placed inside an epoch (`0.53`, where epoch ends read `1`).
        #expect(
            screen.split(separator: "\n").contains {
                $0.contains(/^ [ *] ?\d+\.\d\d +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d/)
            },
            "\(screen)")
        // Every evaluation without a gain halved the rate: the header shows the cut one.
        #expect(!screen.contains("lr 0.001 ") && screen.contains(/lr (0\.000\d+|\d\.\d+e-0\d)/), "\(screen)")
        if width >= 120 {
            #expect(screen.contains("dev every 0.25ep  plateau 1 ×0.5  patience 3"), "\(screen)")
        }
        // The bar stays at the steps done (a few of a million epochs), and says why it stopped.
        let progress = screen.split(separator: "\n")[1]
        #expect(progress.contains(" 0% stopped early") && !progress.contains("100%"), "\(screen)")
        try tmux.keys("q")
        let after = try tmux.waitFor(30, "the summary") { $0.contains("best dev fine root") }
        #expect(after.contains(/at epoch \d+(\.\d\d)? \(fine all/), "\(after)")
        let exit = DashboardEndToEndTests().waitForExit(run)
        #expect(exit?.contains("EXIT=0") == true, "\(exit ?? "no exit")")
    }
}
