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

/// `sentree arguments…`, killed after `seconds` (status nil then): for inputs that used to
/// make it wait forever.
func sentree(within seconds: Double, _ arguments: [String]) throws -> Run? {
    let binary = try #require(sentreeBinary)
    let dir = try temporaryDirectory("sentree-within")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    FileManager.default.createFile(atPath: dir + "/err", contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try #require(FileHandle(forWritingAtPath: dir + "/err"))
    try process.run()
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }
    return Run(
        status: process.terminationStatus, stdout: "",
        stderr: try String(contentsOfFile: dir + "/err", encoding: .utf8))
}

/// A FIFO where a file is read (issue #18, item 22) hung `predict` and `--resume` forever,
/// including a vectors path taken from `run.json`.
@Suite struct FIFOInputCLITests {
    static let expected = "is a named pipe (FIFO), not a regular file"

    @Test func everyCommandRefusesAFIFOAtOnce() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-fifo")
        let pipe = dir + "/pipe"
        try #require(mkfifo(pipe, 0o600) == 0)
        let cases: [[String]] = [
            ["predict", "--checkpoint", pipe, "a good film"],
            ["eval", "--checkpoint", shared.run + "/best.safetensors", "--data", pipe],
            ["train", "--data", shared.data, "--out", dir + "/r1", "--embeddings", pipe] + trainOptions,
        ]
        for arguments in cases {
            let r = try #require(try sentree(within: 20, arguments), "\(arguments) still waits after 20 s")
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(
                r.stderr.contains("\(pipe)") && r.stderr.contains(Self.expected), "\(arguments): \(r.stderr)")
        }
    }

    /// A run killed before its first `last` resumes from `run.json`, whose vectors file is now a FIFO.
    @Test func resumeRefusesAFIFOFromRunJSON() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-fifo-resume")
        let vectors = dir + "/vectors.txt"
        try "the 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8\nfilm 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8\n".write(
            toFile: vectors, atomically: true, encoding: .utf8)
        let run = dir + "/run"
        let first = try sentree(
            ["train", "--data", shared.data, "--out", run, "--embeddings", vectors, "--epochs", "1"]
                + trainOptions)
        #expect(first.status == 0, "\(first.stderr)")
        try FileManager.default.removeItem(atPath: run + "/last.safetensors")
        try FileManager.default.removeItem(atPath: vectors)
        try #require(mkfifo(vectors, 0o600) == 0)
        let r = try #require(
            try sentree(within: 20, ["train", "--headless", "--resume", run]), "still waits")
        #expect(r.status == 1, "\(r.stderr)")
        // (run.json keeps the path made absolute and standardized.)
        #expect(r.stderr.contains("/vectors.txt:0:0: \(Self.expected)"), "\(r.stderr)")
    }
}

/// Vectors files whose width is absurd (issue #18, items 2 and 9): blamed on the file with
/// its line and column, before anything is allocated.
@Suite struct WideVectorsCLITests {
    @Test(arguments: [
        ("1 999999999999\nthe 0.1\n", ":1:3: dimension 999999999999 in the header is outside 1-65535"),
        (
            "1 400000\nthe " + Array(repeating: "0.1", count: 400_000).joined(separator: " ") + "\n",
            ":1:3: dimension 400000 in the header is outside 1-65535"
        ),
        (
            "the " + Array(repeating: "0.1", count: 100_000).joined(separator: " ") + "\n",
            ":1:1: a row of 100000 values: vectors wider than 65535 are refused"
        ),
    ])
    func aTooWideVectorsFileIsRefusedNamingIt(_ text: String, _ message: String) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-wide-vectors")
        let path = dir + "/vectors.txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try sentree(
            ["train", "--data", shared.data, "--out", dir + "/run", "--embeddings", path] + trainOptions)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(path + message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"))
    }
}
