import Foundation
import Testing
import SentreeCore

// A user's run directory is sacred: these tests drive the real binary through the ways runs
// used to be lost or mixed (a repeated --out, two writers, kill -9, a full disk, signals).

/// A `sentree` process running in the background, its output going to files.
final class Background {
    let process = Process()
    let outPath: String
    let errPath: String
    private let dir: String

    init(_ arguments: [String]) throws {
        let binary = try #require(
            sentreeBinary, "sentree executable not found; run `swift build -c release` first")
        dir = try temporaryDirectory("sentree-bg")
        outPath = dir + "/stdout"
        errPath = dir + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the exit and returns what the process printed.
    func finish() throws -> Run {
        process.waitUntilExit()
        // A process killed by a signal has no exit status; report it the shell's way.
        let status =
            process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus
            : process.terminationStatus
        return Run(
            status: status, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }
}

/// Polls `condition` every 5 ms for up to `seconds`.
func waitFor(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// Epoch numbers of a run's metrics log (empty if there is none yet).
func loggedEpochs(_ run: String) throws -> [Int] {
    guard FileManager.default.fileExists(atPath: run + "/metrics.jsonl") else { return [] }
    return try MetricsLog.readEpochs(from: run + "/metrics.jsonl").map(\.epoch)
}

/// Options for the runs here; the resumed ones take them from the run.
let safetyOptions = ["--headless", "--dim", "8", "--batch-size", "8", "--threads", "1", "--seed", "7"]

@Suite struct RunDirectorySafetyTests {
    /// A run stopped before its first `last` checkpoint (as a sweep's trial can be, killed
    /// early) starts over from epoch 1 on --resume; the epochs it had logged must go, or the
    /// log holds them twice (the sweep fault check found 1…19 then 1…20).
    @Test func aResumeWithoutACheckpointStartsOverWithAFreshLog() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-nockpt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let first = try sentree(
            ["train", "--data", shared.data, "--out", run, "--epochs", "3"] + safetyOptions)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try MetricsLog.readEpochs(from: run + "/metrics.jsonl")
        try FileManager.default.removeItem(atPath: run + "/last.safetensors")
        let again = try sentree(["train", "--resume", run, "--headless"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("stopped before its first checkpoint"), "\(again.stderr)")
        let after = try MetricsLog.readEpochs(from: run + "/metrics.jsonl")
        #expect(after.map(\.epoch) == [1, 2, 3])
        // The same seed, the same run again (timings aside).
        #expect(
            after.map(\.fineRoot) == before.map(\.fineRoot)
                && after.map(\.trainLoss) == before.map(\.trainLoss))
    }

    @Test func aRepeatedOutIsRefusedAndTheEarlierRunStaysIntact() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-out")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let first = try sentree(
            ["train", "--data", shared.data, "--out", run, "--epochs", "2"] + safetyOptions)
        #expect(first.status == 0, "\(first.stderr)")
        let names = ["best.safetensors", "last.safetensors", "metrics.jsonl", "run.json"]
        let before = names.map { FileManager.default.contents(atPath: run + "/" + $0) }

        let again = try sentree(
            ["train", "--data", shared.data, "--out", run, "--epochs", "3"] + safetyOptions)
        #expect(again.status == 1)
        #expect(
            again.stderr.contains("already holds a run") && again.stderr.contains("--resume \(run)"),
            "\(again.stderr)")
        #expect(names.map { FileManager.default.contents(atPath: run + "/" + $0) } == before)

        // A directory with other files is not a place for a run either; an empty one is.
        let other = dir + "/notes"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "mine".write(toFile: other + "/todo.txt", atomically: true, encoding: .utf8)
        let refused = try sentree(
            ["train", "--data", shared.data, "--out", other, "--epochs", "1"] + safetyOptions)
        #expect(refused.status == 1 && refused.stderr.contains("is not empty"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other) == ["todo.txt"])
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let accepted = try sentree(
            ["train", "--data", shared.data, "--out", empty, "--epochs", "1"] + safetyOptions)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(try loggedEpochs(empty) == [1])
    }

    @Test func twoTrainersCannotShareARun() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-two")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        // Started together on a new directory: exactly one gets it.
        let args = ["train", "--data", shared.data, "--out", run, "--epochs", "3"] + safetyOptions
        let a = try Background(args), b = try Background(args)
        let results = [try a.finish(), try b.finish()]
        #expect(results.map(\.status).sorted() == [0, 1], "\(results.map(\.stderr))")
        #expect(results.contains { $0.status == 1 && $0.stderr.contains(run) })
        #expect(try loggedEpochs(run) == [1, 2, 3])

        // A second writer while one trains: refused, naming the process that holds the run.
        let long = try Background(["train", "--resume", run, "--epochs", "100000"])
        #expect(waitFor { (try? loggedEpochs(run).count) ?? 0 > 3 })
        let intruder = try sentree(["train", "--resume", run, "--epochs", "100001"])
        #expect(intruder.status == 1)
        #expect(
            intruder.stderr.contains(
                "in use by another sentree process (pid \(long.process.processIdentifier)"),
            "\(intruder.stderr)")
        long.signal(SIGTERM)
        #expect(try long.finish().status == 143)
        // The lock went with the process: the run can be resumed again.
        let resumed = try sentree([
            "train", "--resume", run, "--epochs", String(try loggedEpochs(run).count + 1),
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    @Test func resumeNeedsOnlyTheRun() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-resume-only")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let first = try sentree(
            ["train", "--data", shared.data, "--out", run, "--epochs", "2"] + safetyOptions)
        #expect(first.status == 0, "\(first.stderr)")

        // No --data and no SST_DIR: the data directory comes from the run, not a download.
        let second = try sentree(["train", "--headless", "--resume", run, "--epochs", "4"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stderr.contains("Download"), "\(second.stderr)")
        #expect(second.stdout.contains("resuming after epoch 2"))
        let resumed = try Checkpoint.read(from: run + "/last.safetensors")
        let straight = try Checkpoint.read(from: shared.run + "/last.safetensors")
        #expect(resumed.parameters.map(\.bitPattern) == straight.parameters.map(\.bitPattern))
        #expect(try loggedEpochs(run) == [1, 2, 3, 4])

        // What the run is cannot change on resume.
        let changed = try sentree(["train", "--headless", "--resume", run, "--epochs", "5", "--dim", "16"])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("--dim 16 (the run has 8)"), "\(changed.stderr)")
        // A moved data directory is taken, with a note.
        let moved = dir + "/moved"
        try FileManager.default.copyItem(atPath: shared.data, toPath: moved)
        let third = try sentree(["train", "--headless", "--resume", run, "--epochs", "5", "--data", moved])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("note: reading the data from"), "\(third.stderr)")
        // Finished: nothing to do, nothing written.
        let idle = try sentree(["train", "--headless", "--resume", run])
        #expect(idle.status == 0 && idle.stdout.contains("nothing to do"), "\(idle.stdout)")
        #expect(try loggedEpochs(run) == [1, 2, 3, 4, 5])
    }

    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func signalsSaveLastAndExitWithTheirStatus(_ sig: Int32, _ status: Int32) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-signal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let p = try Background(
            ["train", "--data", shared.data, "--out", run, "--epochs", "100000"] + safetyOptions)
        #expect(waitFor { (try? loggedEpochs(run).count) ?? 0 >= 2 })
        p.signal(sig)
        let r = try p.finish()
        #expect(r.status == status, "\(r.stderr)")
        let last = try Checkpoint.read(from: run + "/last.safetensors")
        #expect(last.progress.epochsCompleted >= 2)
        // `last` was written on the way out, after the newest logged epoch.
        #expect(last.progress.epochsCompleted >= (try loggedEpochs(run).last ?? 0))
    }

    /// Twenty `kill -9` at random moments, each followed by `--resume`: the run always
    /// resumes, every checkpoint reads, and the log holds every epoch once, in order.
    @Test func twentyKillNinesAlwaysResume() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-kill9")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let epochs = 400
        var rng = SystemRandomNumberGenerator()
        var step = 0
        for k in 0 ..< 20 {
            let args =
                k == 0
                ? [
                    "train", "--data", shared.data, "--out", run, "--epochs", String(epochs),
                    "--save-interval", "0.000001",  // every minibatch; 0 is every epoch end
                ]
                    + safetyOptions
                : ["train", "--headless", "--resume", run]
            let p = try Background(args)
            // The run exists once its directory does; before that there is nothing to resume.
            if k == 0 { #expect(waitFor { FileManager.default.fileExists(atPath: run + "/run.json") }) }
            usleep(UInt32.random(in: 20_000 ... 400_000, using: &rng))
            p.signal(SIGKILL)
            let r = try p.finish()
            #expect(r.status == 137 || r.status == 0, "kill \(k + 1): \(r.stderr)")
            #expect(!r.stderr.contains("Error"), "kill \(k + 1): \(r.stderr)")
            for name in ["last.safetensors", "best.safetensors"]
            where FileManager.default.fileExists(atPath: run + "/" + name) {
                #expect(throws: Never.self, "kill \(k + 1): \(name)") {
                    try Checkpoint.read(from: run + "/" + name)
                }
            }
            // Each resume goes on from where the previous process got to, never back.
            if let last = try? Checkpoint.read(from: run + "/last.safetensors") {
                #expect(last.progress.globalStep >= step, "kill \(k + 1)")
                step = last.progress.globalStep
            }
            let logged = try loggedEpochs(run)
            #expect(logged == (0 ..< logged.count).map { $0 + 1 }, "kill \(k + 1): \(logged)")
        }
        #expect(step > 0)
        let final = try sentree(["train", "--headless", "--resume", run, "--save-interval", "10"])
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try loggedEpochs(run) == Array(1 ... epochs))
        #expect(try Checkpoint.read(from: run + "/last.safetensors").progress.epochsCompleted == epochs)
    }
}

/// A small tmpfs the test mounts (root only), to fill the disk for real.
struct TmpfsMount {
    let path: String

    static let available: Bool = {
        guard let m = try? TmpfsMount(kilobytes: 64) else { return false }
        m.unmount()
        return true
    }()

    init(kilobytes: Int) throws {
        path = try temporaryDirectory("sentree-tmpfs")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    func unmount() {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = [path]
        try? p.run()
        p.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite struct DiskFullTests {
    /// A full disk mid-run: headless reports each failure, stops after three in a row with
    /// exit 1, and the checkpoints saved before stay loadable; once there is room, it resumes.
    @Test(.enabled(if: TmpfsMount.available)) func aFullDiskStopsHeadlessTrainingWithoutLosingTheRun() throws
    {
        let shared = try trained()
        let disk = try TmpfsMount(kilobytes: 2048)
        defer { disk.unmount() }
        let run = disk.path + "/run"
        let p = try Background(
            [
                "train", "--data", shared.data, "--out", run, "--epochs", "100000",
                "--save-interval", "0.000001",  // every minibatch; 0 is every epoch end
            ] + safetyOptions)
        #expect(
            waitFor {
                ["last", "best"].allSatisfy {
                    FileManager.default.fileExists(atPath: "\(run)/\($0).safetensors")
                }
            })
        // Fill what is left of the disk.
        let filler = disk.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()

        let r = try p.finish()
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("No space left on device"), "\(r.stderr)")
        #expect(r.stderr.contains("failed 3 times in a row"), "\(r.stderr)")
        let last = try Checkpoint.read(from: run + "/last.safetensors")
        _ = try Checkpoint.read(from: run + "/best.safetensors")
        let logged = try loggedEpochs(run)
        #expect(logged == (0 ..< logged.count).map { $0 + 1 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: run).allSatisfy { !$0.hasSuffix(".tmp") })

        try FileManager.default.removeItem(atPath: filler)
        let next = last.progress.epochsCompleted + 1
        let resumed = try sentree(["train", "--headless", "--resume", run, "--epochs", String(next)])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Checkpoint.read(from: run + "/last.safetensors").progress.epochsCompleted == next)
    }
}
