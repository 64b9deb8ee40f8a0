import Foundation
import Testing

// `sentree view` and `train --compare` in a real terminal (tmux), on runs trained here.

/// Every file of a run folder with its size and modification time, to show nothing changed.
func runFingerprint(_ path: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: path) {
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + name)
        result[name] =
            "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }
    return result
}

/// The epoch count in `sentree view`'s second header line.
func viewedEpoch(_ screen: String) -> Int? {
    guard let line = screen.split(separator: "\n").dropFirst().first,
        let range = line.range(of: #"^ epoch \d+"#, options: .regularExpression)
    else { return nil }
    return Int(line[range].dropFirst(7))
}

/// Presses q and expects exit status 0 with the main screen back (`#{alternate_on}` 0).
func quitsCleanly(_ tmux: TmuxSession, exitFile: String) throws {
    try tmux.keys("q")
    let deadline = Date().addingTimeInterval(20)
    // Until the status is in it: the shell creates the file before `echo` writes into it.
    while Date() < deadline
        && !((try? String(contentsOfFile: exitFile, encoding: .utf8)) ?? "").contains("\n")
    {
        usleep(100_000)
    }
    #expect(
        (try? String(contentsOfFile: exitFile, encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines) == "EXIT=0")
    #expect(
        try tmux.run(["display", "-p", "-t", "s", "#{alternate_on}"]).trimmingCharacters(
            in: .whitespacesAndNewlines) == "0")
}

/// Starts `sentree view ARGS` in a `width` × `height` tmux session; returns the file its
/// exit status goes to.
func startView(_ tmux: TmuxSession, _ arguments: String, width: Int, height: Int) throws -> String {
    let binary = try #require(sentreeBinary)
    let exit = try temporaryDirectory("sentree-view-exit") + "/exit"
    try tmux.run([
        "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "s",
        "\(binary) view \(arguments); echo EXIT=$? > \(exit); sleep 60",
    ])
    return exit
}

@Suite(.serialized) struct ViewEndToEndTests {
    /// A data folder with a small synthetic treebank.
    func makeData() throws -> String {
        let data = try temporaryDirectory("sentree-view-data")
        try syntheticTreebank(trees: 40, seed: 21).write(
            toFile: data + "/train.txt", atomically: true, encoding: .utf8)
        try syntheticTreebank(trees: 12, seed: 22).write(
            toFile: data + "/dev.txt", atomically: true, encoding: .utf8)
        return data
    }

    /// Trains a short run headless and returns its folder.
    func trainedRun(_ name: String, data: String, _ flags: [String]) throws -> String {
        let run = try temporaryDirectory("sentree-view-runs") + "/" + name
        let result = try sentree(
            ["train", "--headless", "--data", data, "--out", run, "--threads", "1", "--batch-size", "4"]
                + flags)
        #expect(result.status == 0, "\(result.stderr)")
        return run
    }

    /// `c` shows the picked run's confusion matrices, then how they differ from the other
    /// run's, at both screen sizes.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func cShowsConfusionMatricesAndTheirChange(size: (width: Int, height: Int)) throws {
        let data = try makeData()
        let first = try trainedRun("alpha-run", data: data, ["--epochs", "3", "--dim", "6"])
        let second = try trainedRun("beta-run", data: data, ["--epochs", "3", "--dim", "8", "--seed", "2"])
        let tmux = TmuxSession()
        let exit = try startView(tmux, "\(first) \(second)", width: size.width, height: size.height)
        _ = try tmux.waitFor(30, "both runs") { $0.contains("alpha-run") && $0.contains("beta-run") }
        try tmux.keys("c")
        // The title shows a frame before the run's dev predictions are read (slow on a loaded
        // machine), so wait for the matrix itself.
        var screen = try tmux.waitFor(30, "run A's matrix") {
            $0.contains("confusion ─ A alpha-run") && $0.contains("roots  0--   1-   2o   3+  4++  rec")
        }
        #expect(screen.contains("roots  0--   1-   2o   3+  4++  rec"), "\(screen)")
        // One matrix at a time at 80x24: the all-nodes one comes next.
        if size.height < 40 {
            try tmux.keys("c")
            screen = try tmux.waitFor(10, "run A's all-nodes matrix") {
                $0.contains("all    0--   1-   2o   3+  4++  rec")
            }
            #expect(screen.contains("confusion ─ A alpha-run  all nodes"), "\(screen)")
        }
        try tmux.keys("c")
        screen = try tmux.waitFor(30, "the change from B") {
            $0.contains(
                size.width < 120 ? "confusion change ─ A − B" : "confusion change ─ A alpha-run − B beta-run")
                && $0.contains("green: ")
        }
        #expect(screen.contains("green: "), "\(screen)")
        try tmux.keys("c")
        _ = try tmux.waitFor(10, "the length view") { $0.contains(" length ─ dev % by words") }
        try quitsCleanly(tmux, exitFile: exit)
    }

    /// Two runs are also one seed ensemble: its row shows the scores `sentree eval` gives
    /// the same two checkpoints.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func theEnsembleRowMatchesEval(size: (width: Int, height: Int)) throws {
        let data = try makeData()
        let first = try trainedRun("alpha-run", data: data, ["--epochs", "3", "--dim", "6"])
        let second = try trainedRun("beta-run", data: data, ["--epochs", "3", "--dim", "8", "--seed", "2"])
        let eval = try sentree(["eval", "--checkpoint", first, "--checkpoint", second, "--json"])
        try #require(eval.status == 0, "\(eval.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let cells = try ["fine_root", "binary_root"].map { key in
            String(format: "%.2f", 100 * (try #require(object[key] as? Double)))
        }
        let tmux = TmuxSession()
        let exit = try startView(tmux, "\(first) \(second)", width: size.width, height: size.height)
        let screen = try tmux.waitFor(30, "the ensemble row") { $0.contains(" Σ   ensemble") }
        let row = try #require(screen.split(separator: "\n").first { $0.hasPrefix(" Σ   ensemble") })
        let values = row.split(separator: " ").map(String.init)
        #expect(cells.allSatisfy { values.contains($0) }, "eval: \(cells)\n\(screen)")
        #expect(row.contains("avg AB"), "\(row)")
        try quitsCleanly(tmux, exitFile: exit)
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func viewsTwoFinishedRunsAndLeavesThemAlone() throws {
        let data = try makeData()
        let first = try trainedRun("alpha-run", data: data, ["--epochs", "4", "--dim", "6"])
        let second = try trainedRun(
            "beta-run", data: data, ["--epochs", "6", "--dim", "10", "--model", "rnn2", "--seed", "3"])
        let before = try [runFingerprint(first), runFingerprint(second)]
        let tmux = TmuxSession()
        let exit = try startView(tmux, "\(first) \(second)", width: 120, height: 40)
        // The charts of a screen: left of the separator, below the runs panel.
        func charts(_ screen: String) -> String {
            screen.split(separator: "\n").dropFirst(6).map { String($0.prefix(54)) }.joined(separator: "\n")
        }
        // Waits for the curves too: the names show a frame before the runs' epochs are drawn.
        var screen = try tmux.waitFor(30, "both runs and their curves") {
            $0.contains("alpha-run") && $0.contains("beta-run") && $0.contains(" VIEW ")
                && charts($0).components(separatedBy: "●").count > 4
                && charts($0).components(separatedBy: "■").count > 4
        }
        let lines = screen.split(separator: "\n").map(String.init)
        // Both rows of the runs panel, with their keys, models and epochs.
        #expect(
            lines.contains { $0.contains("●A  alpha-run") && $0.contains("rnn d=6") && $0.contains("4/4") })
        #expect(
            lines.contains {
                $0.contains("■B  beta-run") && $0.contains("rnn2 d=10 m=10") && $0.contains("6/6")
            })
        // Both curves: each run's marker in the loss and accuracy charts (left of the separator).
        let charts = charts(screen)
        #expect(charts.components(separatedBy: "●").count > 4, "run A's markers missing:\n\(screen)")
        #expect(charts.components(separatedBy: "■").count > 4, "run B's markers missing:\n\(screen)")
        #expect(screen.contains("●A alpha-run  ■B beta-run"))

        // The cursor picks run B: header and trees follow; training keys are refused by name.
        try tmux.keys("j")
        screen = try tmux.waitFor(10, "run B picked") {
            $0.split(separator: "\n").first?.contains("■B beta-run") == true
        }
        try tmux.keys("p")
        screen = try tmux.waitFor(10, "view only") { $0.contains("view only: sentree view does not train") }
        try tmux.keys("d")
        screen = try tmux.waitFor(10, "disagreement filter") { $0.contains("disagree: B vs A") }

        try quitsCleanly(tmux, exitFile: exit)
        #expect(try [runFingerprint(first), runFingerprint(second)] == before, "view changed a run folder")
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func followsARunAnotherProcessIsTraining() throws {
        let data = try temporaryDirectory("sentree-view-data")
        try syntheticTreebank(trees: 600, seed: 23).write(
            toFile: data + "/train.txt", atomically: true, encoding: .utf8)
        try syntheticTreebank(trees: 20, seed: 24).write(
            toFile: data + "/dev.txt", atomically: true, encoding: .utf8)
        let run = try temporaryDirectory("sentree-view-runs") + "/live-run"
        let binary = try #require(sentreeBinary)
        let trainer = Process()
        trainer.executableURL = URL(fileURLWithPath: binary)
        trainer.arguments = [
            "train", "--headless", "--data", data, "--out", run, "--epochs", "100000", "--dim", "24",
            "--batch-size", "1", "--threads", "1",
        ]
        trainer.standardOutput = FileHandle.nullDevice
        trainer.standardError = FileHandle.nullDevice
        try trainer.run()
        defer { if trainer.isRunning { trainer.terminate() }; trainer.waitUntilExit() }
        // Open it once its first epoch is logged.
        let start = Date().addingTimeInterval(60)
        while Date() < start
            && ((try? String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)) ?? "").isEmpty
        {
            usleep(100_000)
        }
        let tmux = TmuxSession()
        let exit = try startView(tmux, "\(run)", width: 80, height: 24)
        var screen = try tmux.waitFor(30, "the live run") {
            $0.contains("live-run") && viewedEpoch($0) != nil
        }
        let first = try #require(viewedEpoch(screen))
        #expect(screen.contains("  following  "), "\(screen)")
        // New epochs written by the trainer reach the screen.
        screen = try tmux.waitFor(60, "newer epochs") { (viewedEpoch($0) ?? 0) >= first + 2 }
        #expect(trainer.isRunning, "the trainer stopped: view must not disturb it")

        try quitsCleanly(tmux, exitFile: exit)
        trainer.terminate()
        trainer.waitUntilExit()
        #expect(trainer.terminationStatus == 143, "the trainer should stop on SIGTERM as usual")
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func trainShowsEarlierRunsBeside() throws {
        let data = try makeData()
        let earlier = try trainedRun("earlier-run", data: data, ["--epochs", "3", "--dim", "6"])
        let binary = try #require(sentreeBinary)
        let tmux = TmuxSession()
        let live = try temporaryDirectory("sentree-view-runs") + "/live-now"
        try tmux.run([
            "new-session", "-d", "-x", "120", "-y", "40", "-s", "s",
            "\(binary) train --data \(data) --out \(live) --epochs 1000000 --dim 6 --batch-size 2 "
                + "--lr 0.001 --threads 1 --compare \(earlier); echo EXIT=$? > \(live)-exit; sleep 60",
        ])
        let screen = try tmux.waitFor(60, "both runs") {
            $0.contains("live-now (live)") && $0.contains("■B  earlier-run") && $0.contains("RUNNING")
        }
        #expect(screen.contains("3/3"))
        try tmux.keys("v")
        _ = try tmux.waitFor(10, "live run hidden") { $0.contains("1 of 2 shown") }
        try tmux.keys("q")
        _ = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: live + "-exit") { usleep(100_000) }
        #expect((try? String(contentsOfFile: live + "-exit", encoding: .utf8))?.contains("EXIT=0") == true)
    }

    @Test(.enabled(if: sentreeBinary != nil))
    func clearErrorsForWhatIsNotARunOrHasLostItsData() throws {
        let dir = try temporaryDirectory("sentree-view-bad")
        var result = try sentree(["view", dir])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(dir): holds no sentree run"), "\(result.stderr)")
        result = try sentree(["view", dir + "/missing"])
        #expect(result.status == 1 && result.stderr.contains("no such run directory"))
        // A run whose data folder has gone: the error says so and names --data.
        let data = try makeData()
        let run = try trainedRun("moved-data", data: data, ["--epochs", "1", "--dim", "4"])
        try FileManager.default.removeItem(atPath: data)
        result = try sentree(["view", run])
        #expect(result.status == 1)
        #expect(result.stderr.contains("has no dev.txt (moved?); pass --data DIR"), "\(result.stderr)")
        result = try sentree(["view", run, "--data", dir])
        #expect(
            result.status == 1 && result.stderr.contains("\(dir)/dev.txt: no such file (--data)"),
            "\(result.stderr)")
        // With its data, but no terminal: view says it needs one.
        let other = try makeData()
        result = try sentree(["view", run, "--data", other])
        #expect(
            result.status == 1 && result.stderr.contains("sentree view needs a terminal"), "\(result.stderr)")
    }
}
