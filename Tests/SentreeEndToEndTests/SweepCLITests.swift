import Foundation
import Testing
import SentreeCore

// `sentree sweep`, `sweep plan` and `export` driven as a user would, on small generated data.

/// Writes a spec file into `dir` and returns its path.
func writeSpec(_ text: String, in dir: String, name: String = "spec.yaml") throws -> String {
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The trials' outcomes of a sweep, by trial name.
func outcomes(_ sweep: String) throws -> [String: TrialOutcome] {
    let files = SweepFiles(path: sweep)
    var result: [String: TrialOutcome] = [:]
    for trial in try files.readPlan().trials {
        if let o = files.outcome(trial) { result[trial.name] = o }
    }
    return result
}

/// Cells of a simple CSV (no quoted cells), by column name.
private func csvRows(_ path: String) throws -> [[String: String]] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return lines.dropFirst().map { line in
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(header, cells))
    }
}

/// Small trials: tiny widths, one thread each (the sweep adds it).
let smallBase = "  dim: 8\n  batch-size: 8\n"

@Suite struct SweepPlanCLITests {
    @Test func planPrintsEachTrialsVaryingSettingsAndSeed() throws {
        let dir = try temporaryDirectory("sentree-plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try writeSpec(
            "base:\n  model: rnn\n  epochs: 4\n"
                + "grid:\n  lr: [0.01, 0.02]\n  l2: [0.001]\n"
                + "seeds: [5, 6]\n", in: dir)
        let r = try sentree(["sweep", "plan", spec])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.outputLines == [
                "4 trials: 2 settings × 2 seeds",
                "base: model rnn, epochs 4",
                "trial    lr     l2  seed  run",
                "    0  0.01  0.001     5  0000-lr0.01-l20.001-seed5",
                "    1  0.01  0.001     6  0001-lr0.01-l20.001-seed6",
                "    2  0.02  0.001     5  0002-lr0.02-l20.001-seed5",
                "    3  0.02  0.001     6  0003-lr0.02-l20.001-seed6",
            ])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir) == ["spec.yaml"],
            "plan creates nothing")
    }

    @Test func aSpecMistakeStopsTheSweepBeforeAnythingIsCreated() throws {
        let dir = try temporaryDirectory("sentree-badspec")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try writeSpec("base:\n  model: rnn\ngrid:\n  lr: [0.01, 0]\n", in: dir)
        let r = try sentree(["sweep", spec, "--out", dir + "/sweep", "--data", dir])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(spec):4:14: grid.lr: must be a positive number"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/sweep"))
    }
}

@Suite(.serialized) struct SweepRunCLITests {
    @Test func aFailingTrialIsRecordedAndTheOthersFinish() throws {
        // Standardized, as the sweep stores paths (the temporary folder may hold "//").
        let data = URL(fileURLWithPath: try makeDataDirectory()).standardizedFileURL.path
        defer { try? FileManager.default.removeItem(atPath: data) }
        // The second data directory has no train.txt: its trials fail when they start.
        let missing = data + "/moved"
        try FileManager.default.createDirectory(atPath: missing, withIntermediateDirectories: true)
        let spec = try writeSpec(
            "base:\n  epochs: 3\n\(smallBase)grid:\n  data: [\(data), \(missing)]\n"
                + "seeds: [1, 2]\n", in: data)
        let sweep = data + "/sweep"
        let r = try sentree(["sweep", spec, "--out", sweep, "--jobs", "2"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(
            try String(contentsOfFile: sweep + "/spec.yaml", encoding: .utf8)
                == String(contentsOfFile: spec, encoding: .utf8))
        let plan = try SweepFiles(path: sweep).readPlan()
        #expect(plan.trials.count == 4)
        let results = try outcomes(sweep)
        #expect(results.count == 4)
        for trial in plan.trials {
            let run = sweep + "/trials/" + trial.name
            let outcome = try #require(results[trial.name])
            if trial.settings["data"] == data {
                #expect(outcome.status == .done && outcome.exitStatus == 0, "\(outcome)")
                #expect(try loggedEpochs(run) == [1, 2, 3])
                let config = try storedConfig(run)
                #expect(config.threads == 1 && config.seed == trial.seed && config.dim == 8)
                #expect(r.stdout.contains("done    \(trial.name)"))
            } else {
                #expect(outcome.status == .failed && outcome.exitStatus == 1, "\(outcome)")
                #expect(outcome.error?.contains("train.txt") == true, "\(outcome.error ?? "")")
                #expect(r.stdout.contains("FAILED  \(trial.name)  exit 1"), "\(r.stdout)")
            }
        }
        // Each trial is an ordinary run: `train --resume` knows it is finished.
        let good = try #require(plan.trials.first { $0.settings["data"] == data })
        let resumed = try sentree(["train", "--resume", sweep + "/trials/" + good.name])
        #expect(
            resumed.status == 0 && resumed.stdout.contains("has finished all 3 epochs"),
            "\(resumed.stdout)")

        // Every CSV row is an epoch line of its run's metrics.jsonl, with the run's settings.
        let csv = data + "/epochs.csv"
        let export = try sentree(["export", sweep, "--csv", csv])
        #expect(export.status == 0, "\(export.stderr)")
        let rows = try csvRows(csv)
        #expect(rows.count == 6)
        for trial in plan.trials where trial.settings["data"] == data {
            let metrics = try MetricsLog.readEpochs(from: sweep + "/trials/\(trial.name)/metrics.jsonl")
            let mine = rows.filter { $0["trial"] == trial.name }
            #expect(mine.map { Int($0["epoch"]!)! } == metrics.map(\.epoch))
            for (row, e) in zip(mine, metrics) {
                #expect(Double(row["fine_root"]!) == e.fineRoot)
                #expect(Double(row["binary_root"]!) == e.binaryRoot)
                #expect(Double(row["train_loss"]!) == e.trainLoss && Double(row["fine_all"]!) == e.fineAll)
                #expect(row["seed"] == String(trial.seed) && row["model"] == "rnn" && row["dim"] == "8")
                #expect(row["lr"] == "0.02" && row["data"] == data)
            }
        }

        // The summary: each run at its best epoch, and the seed group's mean and sd.
        let summary = data + "/summary.csv"
        #expect(try sentree(["export", sweep, "--summary", "--csv", summary]).status == 0)
        let srows = try csvRows(summary)
        let runs = srows.filter { $0["kind"] == "run" }, groups = srows.filter { $0["kind"] == "group" }
        #expect(runs.count == 2 && groups.count == 1)
        let bests = try runs.map { row in
            let epochs = try MetricsLog.readEpochs(from: row["run"]! + "/metrics.jsonl")
            let best = epochs.reduce(epochs[0]) { $1.fineRoot > $0.fineRoot ? $1 : $0 }
            #expect(row["best_epoch"] == String(best.epoch) && Double(row["fine_root"]!) == best.fineRoot)
            return best.fineRoot
        }
        let mean = bests.reduce(0, +) / 2
        let sd = (bests.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)).squareRoot()  // n − 1 = 1
        #expect(groups[0]["runs"] == "2" && groups[0]["seed"] == "1 2")
        #expect(abs(Double(groups[0]["fine_root"]!)! - mean) < 1e-12)
        #expect(abs(Double(groups[0]["fine_root_sd"]!)! - sd) < 1e-12)
    }

    @Test func aResumeAfterKill9FinishesEveryTrialExactlyOnce() throws {
        let data = try makeLargerDataDirectory("sentree-sweep-kill", seed: 1)
        defer { try? FileManager.default.removeItem(atPath: data) }
        let epochs = 60
        let spec = try writeSpec(
            "base:\n  epochs: \(epochs)\n\(smallBase)  save-interval: 0.000001\n"
                + "seeds: {from: 1, to: 4}\n", in: data)
        let sweep = data + "/sweep"
        let files = SweepFiles(path: sweep)
        let first = try Background(["sweep", spec, "--out", sweep, "--data", data, "--jobs", "2"])
        // Killed once a trial is done and another is well inside its epochs: at least two logged
        // (epoch 1's line is written just before its `last` is saved, and a kill between the two
        // rightly resumes from epoch 1's middle), and ten or more to go (the trial started beside
        // the first one ends about when it does, and may finish before the kill lands).
        let midway = waitFor(120) {
            guard let plan = try? files.readPlan() else { return false }
            let done = plan.trials.filter { files.outcome($0) != nil }
            let partway = plan.trials.filter {
                let logged = (try? loggedEpochs(files.runPath($0)).count) ?? 0
                return files.outcome($0) == nil && logged >= 2 && logged <= epochs - 10
            }
            return !done.isEmpty && !partway.isEmpty
        }
        #expect(midway)
        first.signal(SIGKILL)
        _ = try first.finish()
        let plan = try files.readPlan()
        let doneBefore = plan.trials.filter { files.outcome($0) != nil }.map(\.name)

        let second = try sentree(["sweep", "--resume", sweep, "--jobs", "2"])
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        let results = try outcomes(sweep)
        for trial in plan.trials {
            #expect(results[trial.name]?.status == .done, "\(trial.name)")
            #expect(try loggedEpochs(files.runPath(trial)) == Array(1 ... epochs), "\(trial.name)")
            let starts = try String(contentsOfFile: files.outputLogPath(trial), encoding: .utf8)
                .split(separator: "\n").filter { $0.hasPrefix("sentree: ") }.count
            if doneBefore.contains(trial.name) {
                #expect(starts == 1, "\(trial.name) finished before the kill and was run again")
                #expect(!second.stdout.contains("start   \(trial.name)"))
            }
        }
        // A part-way trial went on from its own checkpoint rather than from epoch 1.
        let logs = try plan.trials.map {
            try String(contentsOfFile: files.outputLogPath($0), encoding: .utf8)
        }
        #expect(logs.contains { $0.contains("resuming after epoch") }, "no trial resumed from its checkpoint")
    }
    @Test func ctrlCIsPassedToTheTrialsWhichSaveAndResume() throws {
        let data = try makeLargerDataDirectory("sentree-sweep-int", seed: 3)
        defer { try? FileManager.default.removeItem(atPath: data) }
        let epochs = 60
        let spec = try writeSpec("base:\n  epochs: \(epochs)\n\(smallBase)seeds: [1, 2]\n", in: data)
        let sweep = data + "/sweep"
        let files = SweepFiles(path: sweep)
        let first = try Background(["sweep", spec, "--out", sweep, "--data", data, "--jobs", "2"])
        let bothTraining = waitFor(120) {
            guard let plan = try? files.readPlan() else { return false }
            return plan.trials.allSatisfy { ((try? loggedEpochs(files.runPath($0)).count) ?? 0) > 0 }
        }
        #expect(bothTraining)
        first.signal(SIGINT)
        let stopped = try first.finish()
        #expect(stopped.status == 130, "\(stopped.stdout)\n\(stopped.stderr)")
        let plan = try files.readPlan()
        // Each trial got the signal once: it saved `last` and stopped (a second one would not save).
        for trial in plan.trials where files.outcome(trial) == nil {
            #expect(stopped.stdout.contains("stopped \(trial.name)"), "\(stopped.stdout)")
            #expect(FileManager.default.fileExists(atPath: files.runPath(trial) + "/last.safetensors"))
            #expect(!SweepDirectory.runIsBusy(files.runPath(trial)), "a trial outlived the sweep")
        }
        #expect(plan.trials.contains { files.outcome($0) == nil }, "the trials finished before the signal")

        let second = try sentree(["sweep", "--resume", sweep])
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        for trial in plan.trials {
            #expect(files.outcome(trial)?.status == .done)
            #expect(try loggedEpochs(files.runPath(trial)) == Array(1 ... epochs), "\(trial.name)")
        }
    }
}
