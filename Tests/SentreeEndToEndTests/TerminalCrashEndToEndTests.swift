import Foundation
import Testing

/// A dashboard that crashes gives the terminal back: line mode and echo on, main screen,
/// cursor shown (issue #18, item 4: a trap in `view` left the terminal raw, with the
/// backtrace painted over the alternate screen). A fault is sent as SIGSEGV, which is
/// what a crash raises; Swift traps (SIGILL, SIGTRAP) take the same handler.
@Suite(.serialized) struct TerminalCrashEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func aCrashInViewRestoresTheTerminal(width: Int, height: Int) throws {
        let shared = try trained()
        let binary = try #require(sentreeBinary)
        let dir = try temporaryDirectory("sentree-crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tmux = TmuxSession()
        defer { _ = try? tmux.run(["kill-server"]) }
        // The inner shell writes its pid and becomes sentree, so the pid is the viewer's.
        // Swift's backtracer would wait 30 s for a key at a terminal.
        try tmux.run([
            "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "s",
            "sh -c 'echo $$ > \(dir)/pid; SWIFT_BACKTRACE=interactive=no exec \(binary) view \(shared.run)'; echo EXIT=$? > \(dir)/exit; "
                + "stty -a > \(dir)/stty; sleep 60",
        ])
        _ = try tmux.waitFor(30, "the view") { $0.contains(" VIEW ") }
        let pid = try #require(
            Int32(
                try String(contentsOfFile: dir + "/pid", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)))
        // A viewer that survives (the old build hung in the backtracer) must not outlive the test.
        defer { kill(pid, SIGKILL) }
        kill(pid, SIGSEGV)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !FileManager.default.fileExists(atPath: dir + "/stty") { usleep(100_000) }
        usleep(200_000)
        let exit = (try? String(contentsOfFile: dir + "/exit", encoding: .utf8)) ?? ""
        #expect(exit.hasPrefix("EXIT=") && !exit.hasPrefix("EXIT=0"), "\(exit)")
        let modes = (try? String(contentsOfFile: dir + "/stty", encoding: .utf8)) ?? ""
        let words = Set(
            modes.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(words.contains("icanon") && words.contains("echo"), "\(modes)")
        #expect(
            try tmux.run(["display", "-p", "-t", "s", "#{alternate_on}"]).trimmingCharacters(
                in: .whitespacesAndNewlines) == "0")
    }
}
