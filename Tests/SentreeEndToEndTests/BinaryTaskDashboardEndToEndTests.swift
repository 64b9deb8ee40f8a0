import Foundation
import Testing

/// A binary-task run in the real dashboard names its task in the header, at both sizes.
@Suite(.serialized) struct BinaryTaskDashboardEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func headerSaysTheTask(_ size: (Int, Int)) throws {
        let tmux = TmuxSession()
        let run = try DashboardEndToEndTests().startTraining(
            tmux, width: size.0, height: size.1, environment: "", arguments: "--task binary")
        defer { try? FileManager.default.removeItem(atPath: run) }
        let screen = try tmux.waitFor(60, "the task in the header after an epoch") {
            $0.split(separator: "\n").first?.contains("task binary (SST-2)") == true
                && $0.contains("best epoch")
        }
        #expect(screen.split(separator: "\n").first?.contains("rnn d=8") == true, "\(screen)")
        // Where the settings fit, the binary task's training trees are among them.
        if size.0 >= 120 {
            #expect(
                screen.split(separator: "\n").first?.contains("  neutral roots in train  ") == true,
                "\(screen)")
        }
        // The accuracy table names the 3-class argmax, not fine.
        #expect(screen.contains("3-cl all"), "\(screen)")
        try tmux.keys("q")
        _ = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        let exit = DashboardEndToEndTests().waitForExit(run)
        #expect(exit?.trimmingCharacters(in: .whitespacesAndNewlines) == "EXIT=0")
    }
}
