import Foundation
import Testing

/// The treelstm recipe's header in a real terminal: its settings do not all fit, and the dev
/// schedule that ends the run (`dev every`, `patience`) is what stays, at 120 and 80 columns.
@Suite(.serialized) struct TreeLSTMHeaderEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func theHeaderKeepsTheScheduleThatStoppedTheRun(_ width: Int, _ height: Int) throws {
        let tmux = TmuxSession()
        let run = try DashboardEndToEndTests().startTraining(
            tmux, width: width, height: height, environment: "", arguments: "--model treelstm --patience 1")
        let screen = try tmux.waitFor(60, "the early stop") {
            $0.contains("DONE") && $0.contains("stopped early")
        }
        let header = screen.split(separator: "\n")[0]
        #expect(header.contains("treelstm d=8 x=300  "), "\(screen)")
        #expect(header.contains("  dev every 0.25ep  patience 1   DONE"), "\(screen)")
        if width >= 120 { #expect(header.contains("  adagrad  l2 0.0001  "), "\(screen)") }
        try tmux.keys("q")
        #expect(DashboardEndToEndTests().waitForExit(run)?.contains("EXIT=0") == true)
    }
}
