import Foundation
import Testing
import SentreeCore

/// Run files changed by hand or by a fault (issue #18): each is refused with the file, the
/// place and what was expected, never a crash.
@Suite struct HostileRunFilesCLITests {
    /// A copy of the shared trained run whose metrics log gets `line` appended.
    func runWithMetricsLine(_ line: String) throws -> String {
        let shared = try trained()
        let run = try temporaryDirectory("sentree-hostile-metrics") + "/run"
        try FileManager.default.copyItem(atPath: shared.run, toPath: run)
        let handle = try #require(FileHandle(forWritingAtPath: run + "/metrics.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.close()
        return run
    }

    static let hostileEpochs = [
        (#""epoch":4611686018427387904"#, "'epoch' must be from 1 to 1000000"),
        (#""seconds":1e308"#, "'seconds' must be from 0 to 1000000000"),
        (#""train_loss":-1e308"#, "'train_loss' must be zero or a positive number"),
    ]

    static func epochLine(_ field: String) -> String {
        let base: [String: String] = [
            "epoch": #""epoch":5"#, "seconds": #""seconds":0.5"#, "train_loss": #""train_loss":1.2"#,
        ]
        let key = String(field.dropFirst().prefix { $0 != "\"" })
        var fields = base
        fields[key] = field
        return "{" + fields.values.sorted().joined(separator: ",")
            + #","binary_all":0.8,"binary_root":0.7,"fine_all":0.7,"fine_root":0.4,"#
            + #""learning_rate":0.01,"trees_per_second":100}"#
    }

    /// Before: `view` trapped drawing the curves, and left the terminal raw; `train
    /// --compare` crashed the live run. Now both refuse the run before opening the screen.
    @Test(arguments: hostileEpochs)
    func viewAndCompareRefuseAnOutOfRangeMetricsLine(_ field: String, _ message: String) throws {
        let run = try runWithMetricsLine(Self.epochLine(field))
        let lineNumber = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)
            .split(separator: "\n").count
        let expected = "\(run)/metrics.jsonl: line \(lineNumber): \(message)"
        let view = try sentree(["view", run])
        #expect(view.status == 1, "\(view.stderr)")
        #expect(view.stderr.contains(expected), "\(view.stderr)")
        let out = try temporaryDirectory("sentree-hostile-compare") + "/run"
        let compare = try sentree(
            ["train", "--data", try trained().data, "--out", out, "--compare", run, "--epochs", "1"]
                + trainOptions)
        #expect(compare.status == 1, "\(compare.stderr)")
        #expect(compare.stderr.contains(expected), "\(compare.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// A run killed (SIGKILL) before it first saved `last`, then resumed (issue #18, item 12):
/// before, the restart from epoch 1 appended to the old log (epochs 1–15, then 1–3 again)
/// and its first epochs replaced the earlier, better `best`.
@Suite struct KilledBeforeLastTests {
    func epochLines(_ run: String) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["event"] == nil }
    }

    @Test func resumeStartsOneLogAndKeepsTheBetterBest() throws {
        let data = try makeDataDirectory()
        let run = try temporaryDirectory("sentree-kill-early") + "/run"
        let binary = try #require(sentreeBinary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // No save of `last` before the end: the kill always comes first.
        process.arguments =
            ["train", "--data", data, "--out", run, "--epochs", "100000", "--save-interval", "100000"]
            + trainOptions
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && epochLines(run).count < 12 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: run + "/last.safetensors"))
        let before = epochLines(run)
        try #require(before.count >= 12)
        // (`best` is saved before its epoch's line is logged: the kill may fall in between.)
        let bestBefore = try Checkpoint.read(from: run + "/best.safetensors").progress.bestFineRoot

        let resumed = try sentree(["train", "--headless", "--resume", run, "--epochs", "3"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = epochLines(run)
        #expect(after.map { $0["epoch"] as? Int } == [1, 2, 3])
        // The case of the issue: the first life's best beats the new life's first epochs.
        let scores = after.map { $0["fine_root"] as? Double ?? -1 }
        try #require(scores.max()! < bestBefore, "\(scores)")
        let best = try Checkpoint.read(from: run + "/best.safetensors")
        #expect(best.progress.bestFineRoot == bestBefore)
        #expect(try Checkpoint.read(from: run + "/last.safetensors").progress.epochsCompleted == 3)
    }
}
