import Foundation
import Testing

// Drives the real dashboard in a terminal: tmux runs `sentree train`, send-keys types, and
// capture-pane reads the screen as a person would see it.

let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// One private tmux server (its own socket), killed when the session ends.
final class TmuxSession {
    let socket = "sentree-e2e-\(UUID().uuidString.prefix(8))"

    /// Runs a tmux command and returns its output.
    ///
    /// Spawned with posix_spawn and reaped with waitpid: Foundation's `Process` can miss
    /// the exit of the client that starts the tmux server (it daemonizes), and output goes
    /// to a file because the daemon would inherit a pipe and keep it open.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let tmux = try #require(tmuxPath)
        let outPath = NSTemporaryDirectory() + "/\(socket)-\(UUID().uuidString)"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Decoded leniently: a stray non-UTF-8 byte must show up in assertions, not blank the screen.
        return String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
    }

    func screen() throws -> String { try run(["capture-pane", "-p", "-t", "s"]) }
    func keys(_ keys: String...) throws { try run(["send-keys", "-t", "s"] + keys) }

    /// Polls the screen until `condition` holds (up to `seconds`); returns the last screen.
    func waitFor(_ seconds: Double = 30, _ what: String, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var text = ""
        while Date() < deadline {
            text = (try? screen()) ?? ""
            if condition(text) { return text }
            usleep(100_000)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(text)")
        return text
    }

    deinit { _ = try? run(["kill-server"]) }
}

/// "step N/M" from the header: the step counter inside the current epoch and the epoch.
func stepCounter(_ screen: String) -> String? {
    guard let line = screen.split(separator: "\n").dropFirst().first,
        let range = line.range(of: #"epoch \d+/\d+  step \d+"#, options: .regularExpression)
    else { return nil }
    return String(line[range])
}

@Suite(.serialized) struct DashboardEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func personDrivesTheDashboard() throws {
        let data = try temporaryDirectory("sentree-dash-data")
        try syntheticTreebank(trees: 60, seed: 11).write(
            toFile: data + "/train.txt", atomically: true, encoding: .utf8)
        try syntheticTreebank(trees: 20, seed: 12).write(
            toFile: data + "/dev.txt", atomically: true, encoding: .utf8)
        let run = try temporaryDirectory("sentree-dash-run")
        let binary = try #require(sentreeBinary)
        let tmux = TmuxSession()
        let command =
            "\(binary) train --data \(data) --out \(run) --epochs 1000000 --batch-size 2 --lr 0.001 --dim 8 --threads 1; echo EXIT=$? > \(run)/exit; sleep 60"
        try tmux.run(["new-session", "-d", "-x", "120", "-y", "40", "-s", "s", command])

        // Every panel appears, with dev metrics after the first epoch.
        var screen = try tmux.waitFor(60, "all panels") {
            $0.contains(" sentree ") && $0.contains("RUNNING") && $0.contains(" loss ")
                && $0.contains(" accuracy ")
                && $0.contains(" tree ") && $0.contains(" dev trees ") && $0.contains("best epoch")
        }
        #expect(screen.contains("rnn d=8"))
        #expect(screen.contains("space pause"))
        // The header shows the time the last epoch spent saving (#18 item 18).
        let header = try #require(screen.split(separator: "\n").dropFirst().first)
        #expect(header.contains(/ETA \S+  save \d+\.\d\ds  \d+ trees\/s/), "\(header)")

        // Pause: the state says PAUSED and the step counter stops.
        try tmux.keys("p")
        screen = try tmux.waitFor(30, "PAUSED") { $0.contains("PAUSED") }
        let frozen = try #require(stepCounter(screen))
        usleep(1_500_000)
        #expect(stepCounter(try tmux.screen()) == frozen, "steps advanced while paused")

        // + multiplies the learning rate; the header and the metrics log both show it.
        try tmux.keys("+")
        screen = try tmux.waitFor(30, "new learning rate") { $0.contains("lr 0.0015") }
        let log = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"event\":\"pause\""))
        #expect(log.contains("\"event\":\"learning_rate\"") && log.contains("0.0015"))

        // Resume, then open the third dev tree from the browser.
        try tmux.keys("p")
        screen = try tmux.waitFor(30, "RUNNING again") { $0.contains("RUNNING") }
        try tmux.keys("j", "j", "Enter")
        screen = try tmux.waitFor(30, "tree 3 in the tree view") {
            $0.contains(" tree ") && $0.contains("3/20")
        }

        // Help overlay opens and closes.
        try tmux.keys("?")
        screen = try tmux.waitFor(10, "help") { $0.contains("other key closes") }
        try tmux.keys("x")

        // Quit asks first while training, then saves last and exits 0 with the screen restored.
        try tmux.keys("q")
        screen = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        let deadline = Date().addingTimeInterval(60)
        // Until the status is in it: the shell creates the file before `echo` writes into it.
        while Date() < deadline
            && !((try? String(contentsOfFile: run + "/exit", encoding: .utf8)) ?? "").contains("\n")
        {
            usleep(100_000)
        }
        let exit = try String(contentsOfFile: run + "/exit", encoding: .utf8)
        #expect(exit.trimmingCharacters(in: .whitespacesAndNewlines) == "EXIT=0")
        #expect(
            try tmux.run(["display", "-p", "-t", "s", "#{alternate_on}"]).trimmingCharacters(
                in: .whitespacesAndNewlines) == "0")
        #expect(FileManager.default.fileExists(atPath: run + "/last.safetensors"))
    }

    /// Closing the terminal sends SIGHUP: the run stops the orderly way, saves `last` and
    /// exits 129 (it used to die at once, losing every epoch since the last save).
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func hangupSavesLastAndExits129() throws {
        let tmux = TmuxSession()
        let run = try startTraining(
            tmux, width: 120, height: 40, environment: "",
            arguments: "--save-interval 3600")
        _ = try tmux.waitFor(60, "the dashboard") { $0.contains("RUNNING") }
        #expect(!FileManager.default.fileExists(atPath: run + "/last.safetensors"))
        // What a closing terminal does to the program in it, without closing the test's tmux.
        let shell = try tmux.run(["display", "-p", "-t", "s", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let pid = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        #expect(kill(pid, SIGHUP) == 0)
        #expect(waitForExit(run)?.contains("EXIT=129") == true)
        #expect(FileManager.default.fileExists(atPath: run + "/last.safetensors"))
    }

    /// Starts `sentree train` on a small synthetic treebank in a fresh tmux session.
    func startTraining(
        _ tmux: TmuxSession, width: Int, height: Int, environment: String,
        arguments: String = ""
    ) throws -> String {
        let data = try temporaryDirectory("sentree-dash-data")
        try syntheticTreebank(trees: 30, seed: 13).write(
            toFile: data + "/train.txt", atomically: true, encoding: .utf8)
        try syntheticTreebank(trees: 10, seed: 14).write(
            toFile: data + "/dev.txt", atomically: true, encoding: .utf8)
        let run = try temporaryDirectory("sentree-dash-run")
        let binary = try #require(sentreeBinary)
        let command =
            "\(environment) \(binary) train --data \(data) --out \(run) --epochs 1000000 --batch-size 2 --lr 0.001 --dim 8 --threads 1 \(arguments); echo EXIT=$? > \(run)/exit; sleep 60"
        try tmux.run(["new-session", "-d", "-x", String(width), "-y", String(height), "-s", "s", command])
        return run
    }

    func waitForExit(_ run: String) -> String? {
        let deadline = Date().addingTimeInterval(60)
        // Until the status is in it: the shell creates the file before `echo` writes into it.
        while Date() < deadline
            && !((try? String(contentsOfFile: run + "/exit", encoding: .utf8)) ?? "").contains("\n")
        {
            usleep(100_000)
        }
        return try? String(contentsOfFile: run + "/exit", encoding: .utf8)
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func tooSmallTerminalKeepsTrainingAndCtrlCRestores() throws {
        let tmux = TmuxSession()
        let run = try startTraining(tmux, width: 70, height: 20, environment: "")
        _ = try tmux.waitFor(60, "enlarge message") {
            $0.contains("Terminal too small: 70x20") && $0.contains("Training continues")
        }
        // Training goes on behind the message: epochs reach the metrics log.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline
            && ((try? String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)) ?? "").isEmpty
        { usleep(100_000) }
        #expect(
            ((try? String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)) ?? "").contains(
                "fine_root"))
        // Ctrl-C stops training, saves last and restores the terminal (status 130).
        try tmux.keys("C-c")
        #expect(waitForExit(run)?.contains("EXIT=130") == true)
        #expect(FileManager.default.fileExists(atPath: run + "/last.safetensors"))
        #expect(
            try tmux.run(["display", "-p", "-t", "s", "#{alternate_on}"]).trimmingCharacters(
                in: .whitespacesAndNewlines) == "0")
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func asciiAndNoColorWithoutAUTF8Locale() throws {
        let tmux = TmuxSession()
        let run = try startTraining(
            tmux, width: 80, height: 24, environment: "LC_ALL=C NO_COLOR=1 TERM=xterm")
        let screen = try tmux.waitFor(60, "dashboard") { $0.contains(" loss ") && $0.contains("best epoch") }
        #expect(
            screen.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII output under LC_ALL=C:\n\(screen)")
        // Without color, the class symbols still tell predictions apart.
        #expect(screen.contains("++") || screen.contains("--") || screen.contains("o "))
        let colored = try tmux.run(["capture-pane", "-p", "-e", "-t", "s"])
        #expect(!colored.contains("\u{1B}[38;5;"), "256-color escapes despite NO_COLOR")
        try tmux.keys("q")
        _ = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        #expect(waitForExit(run)?.contains("EXIT=0") == true)
    }
}
