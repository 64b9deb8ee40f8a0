import Foundation
import Testing
import SentreeCore

// `sentree sweep --slurm` and `sweep run-trial`: the script without Slurm, and a round trip
// through a real one-node Slurm cluster when one is up (.ci/slurm-up starts it).

/// Whether `sinfo` shows a node that takes jobs.
let slurmUp: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sinfo", "-h", "-o", "%t"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return process.terminationStatus == 0
        && text.split(separator: "\n").contains { ["idle", "mix", "alloc"].contains($0) }
}()

/// The script's `--array=` value.
private func arrayLine(_ sweep: String) throws -> String? {
    try String(contentsOfFile: sweep + "/slurm/submit.sbatch", encoding: .utf8)
        .split(separator: "\n").first { $0.hasPrefix("#SBATCH --array=") }
        .map { String($0.dropFirst("#SBATCH --array=".count)) }
}

/// How many times the trial's `train` was started (each start prints `sentree: …`).
private func starts(_ files: SweepFiles, _ trial: SweepTrial) -> Int {
    ((try? String(contentsOfFile: files.outputLogPath(trial), encoding: .utf8)) ?? "")
        .split(separator: "\n").filter { $0.hasPrefix("sentree: ") }.count
}

/// Epoch lines of a run without their timings: what reproducibility promises.
private func metrics(_ run: String) throws -> [[Double]] {
    try MetricsLog.readEpochs(from: run + "/metrics.jsonl").map {
        [Double($0.epoch), $0.trainLoss, $0.fineAll, $0.fineRoot, $0.binaryRoot, $0.binaryAll]
    }
}

@Suite(.serialized) struct SweepSlurmCLITests {
    @Test func dryRunWritesTheArrayOfTrialsNotDoneAndRunTrialRunsOne() throws {
        let data = URL(fileURLWithPath: try makeDataDirectory()).standardizedFileURL.path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let spec = try writeSpec(
            "base:\n  epochs: 2\n\(smallBase)grid:\n  lr: [0.01, 0.02]\nseeds: [1, 2]\n", in: data)
        let sweep = data + "/sweep"
        let r = try sentree([
            "sweep", spec, "--out", sweep, "--data", data, "--slurm", "--dry-run", "--max-parallel", "2",
            "--time", "10:00",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 of 4 trials (--array=0-3%2); not submitted (--dry-run)"), "\(r.stdout)")
        let script = try String(contentsOfFile: sweep + "/slurm/submit.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --time=10:00\n"))
        let binary = URL(fileURLWithPath: try #require(sentreeBinary)).resolvingSymlinksInPath().path
        #expect(
            script.hasSuffix(
                "exec '\(binary)' sweep run-trial '\(sweep)' --index \"$SLURM_ARRAY_TASK_ID\"\n"), "\(script)"
        )
        let files = SweepFiles(path: sweep)
        let plan = try files.readPlan()
        #expect(plan.trials.allSatisfy { files.outcome($0) == nil }, "--dry-run ran something")

        // What an array task does: trial 1, from another working directory.
        let task = try sentree(["sweep", "run-trial", sweep, "--index", "1"], directory: "/")
        #expect(task.status == 0, "\(task.stdout)\n\(task.stderr)")
        #expect(files.outcome(plan.trials[1])?.status == .done)
        #expect(try loggedEpochs(files.runPath(plan.trials[1])) == [1, 2])
        #expect(try storedConfig(files.runPath(plan.trials[1])).threads == 1)
        #expect(plan.trials.filter { files.outcome($0) != nil }.count == 1)

        // Again: a no-op. And the next script holds the three trials left.
        let again = try sentree(["sweep", "run-trial", sweep, "--index", "1"])
        #expect(again.status == 0 && again.stdout.contains("is done; nothing to run"), "\(again.stdout)")
        #expect(starts(files, plan.trials[1]) == 1)
        let next = try sentree(["sweep", "--resume", sweep, "--slurm", "--dry-run"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try arrayLine(sweep) == "0,2-3")

        let bad = try sentree(["sweep", "run-trial", sweep, "--index", "4"])
        #expect(bad.status == 1 && bad.stderr.contains("no trial 4; its trials are 0–3"), "\(bad.stderr)")
    }

    @Test func withoutSbatchNothingIsCreatedAndTheErrorSaysWhy() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let spec = try writeSpec("base:\n  epochs: 1\n\(smallBase)", in: data)
        let empty = try temporaryDirectory("sentree-nopath")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let r = try sentree(
            ["sweep", spec, "--out", data + "/sweep", "--data", data, "--slurm"], environment: ["PATH": empty]
        )
        #expect(r.status == 1)
        #expect(r.stderr.contains("sbatch not found on PATH"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/sweep"))
        let misuse = try sentree(["sweep", spec, "--data", data, "--max-parallel", "2"])
        #expect(misuse.status == 1 && misuse.stderr.contains("--max-parallel is for Slurm; add --slurm"))
    }

    @Test func runTrialResumesAnInterruptedRunAndLeavesABusyOneAlone() throws {
        let data = try makeLargerDataDirectory("sentree-runtrial", seed: 5)
        defer { try? FileManager.default.removeItem(atPath: data) }
        // Saving after every minibatch slows the epochs down enough to catch the trial mid-way.
        let epochs = 20
        let spec = try writeSpec(
            "base:\n  epochs: \(epochs)\n\(smallBase)  save-interval: 0.000001\nseeds: [3]\n", in: data)
        let sweep = data + "/sweep"
        #expect(
            try sentree(["sweep", spec, "--out", sweep, "--data", data, "--slurm", "--dry-run"]).status == 0)
        let files = SweepFiles(path: sweep)
        let trial = try files.readPlan().trials[0]

        let first = try Background(["sweep", "run-trial", sweep, "--index", "0"])
        #expect(waitFor(60) { ((try? loggedEpochs(files.runPath(trial)).count) ?? 0) > 0 })
        // A second task for the same trial (a resubmission while the first runs) keeps out.
        let second = try sentree(["sweep", "run-trial", sweep, "--index", "0"])
        #expect(second.status == 75 && second.stderr.contains("another process holds its run"))
        // scancel and the end of --time send SIGTERM: the trial saves, nothing is recorded.
        first.signal(SIGTERM)
        let stopped = try first.finish()
        #expect(stopped.status == 143, "\(stopped.stdout)\n\(stopped.stderr)")
        #expect(files.outcome(trial) == nil)
        let before = try loggedEpochs(files.runPath(trial)).count
        #expect(before < epochs, "the trial finished before the signal")

        let resumed = try sentree(["sweep", "run-trial", sweep, "--index", "0"])
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(files.outcome(trial)?.status == .done)
        #expect(try loggedEpochs(files.runPath(trial)) == Array(1 ... epochs))
        let log = try String(contentsOfFile: files.outputLogPath(trial), encoding: .utf8)
        #expect(log.contains("resuming after epoch \(before)"), "\(log)")
    }

    /// The round trip: a sweep submitted to a real Slurm gives, trial by trial, the metrics of
    /// the local executor, bit for bit (`--threads 1 --seed S` is reproducible); resubmitting
    /// runs only what is not done.
    @Test(.enabled(if: slurmUp, "no Slurm node is up here (sinfo); .ci/slurm-up starts one, as root"))
    func aSweepThroughSlurmMatchesTheLocalExecutorBitForBit() throws {
        let data = URL(fileURLWithPath: try makeDataDirectory()).standardizedFileURL.path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let spec = try writeSpec(
            "base:\n  model: rnn\n  epochs: 4\n\(smallBase)grid:\n  lr: [0.01, 0.05]\nseeds: [1, 2]\n",
            in: data)
        let local = data + "/local", cluster = data + "/cluster"
        let here = try sentree(["sweep", spec, "--out", local, "--data", data, "--jobs", "2"])
        #expect(here.status == 0, "\(here.stdout)\n\(here.stderr)")

        let submitted = try sentree(
            ["sweep", spec, "--out", cluster, "--data", data, "--slurm", "--max-parallel", "2"])
        #expect(submitted.status == 0, "\(submitted.stdout)\n\(submitted.stderr)")
        #expect(submitted.stdout.contains("submitted Slurm job "), "\(submitted.stdout)")
        let files = SweepFiles(path: cluster)
        let plan = try files.readPlan()
        let jobs = try String(contentsOfFile: files.slurmJobsPath, encoding: .utf8)
        let job = try #require(jobs.split(separator: " ").first)
        func taskOutput(_ trial: SweepTrial) -> String {
            (try? String(contentsOfFile: "\(files.slurmPath)/\(job)_\(trial.index).out", encoding: .utf8))
                ?? ""
        }
        // Done when every task has said so in its own output file.
        let finished = waitFor(180) { plan.trials.allSatisfy { taskOutput($0).contains("sweep finished") } }
        #expect(finished, "Slurm job \(job) did not finish within 180 s")
        let localFiles = SweepFiles(path: local)
        for trial in plan.trials {
            #expect(files.outcome(trial)?.status == .done, "\(trial.name)")
            let viaSlurm = try metrics(files.runPath(trial)),
                viaLocal = try metrics(localFiles.runPath(trial))
            #expect(viaSlurm.count == 4 && viaSlurm == viaLocal, "\(trial.name)")
            // The best epoch's metrics (its timings differ, of course).
            let best = try #require(try RunRecord.open(files.runPath(trial)).best)
            let localBest = try #require(try RunRecord.open(localFiles.runPath(trial)).best)
            #expect(best.epoch == localBest.epoch && best.fineRoot == localBest.fineRoot)
            #expect(best.fineAll == localBest.fineAll && best.binaryRoot == localBest.binaryRoot)
            #expect(best.binaryAll == localBest.binaryAll && best.trainLoss == localBest.trainLoss)
            // Each task wrote its own Slurm output file and ran its trial once.
            #expect(taskOutput(trial).contains("done    \(trial.name)"), "\(taskOutput(trial))")
            #expect(starts(files, trial) == 1)
        }

        // Trial 2 lost (its outcome and run removed): a resubmission runs it and it alone.
        let lost = plan.trials[2]
        try FileManager.default.removeItem(atPath: files.outcomePath(lost))
        try FileManager.default.removeItem(atPath: files.runPath(lost))
        let again = try sentree(["sweep", "--resume", cluster, "--slurm"])
        #expect(again.status == 0 && again.stdout.contains("1 of 4 trials (--array=2)"), "\(again.stdout)")
        #expect(waitFor(120) { files.outcome(lost) != nil })
        #expect(try metrics(files.runPath(lost)) == metrics(localFiles.runPath(lost)))
        for trial in plan.trials where trial.index != 2 {
            #expect(starts(files, trial) == 1, "\(trial.name)")
        }
        let done = try sentree(["sweep", "--resume", cluster, "--slurm"])
        #expect(done.stdout.contains("all 4 trials are done; nothing to submit"), "\(done.stdout)")
    }
}
