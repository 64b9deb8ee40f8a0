import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a sweep's folder, for readers: no lock taken, nothing written.
///
/// `spec.yaml` (the spec as given), `trials.json` (the plan), `trials/NAME/` (one ordinary
/// run directory per trial, written only by its `train` process), `outcomes/NAME.json`
/// (how each finished attempt ended), `logs/NAME.out|.err` (each attempt's output,
/// appended) and `sweep.lock` (held by the one `sweep` process driving it).
public struct SweepFiles: Sendable, Equatable {
    public let path: String

    public init(path: String) { self.path = path }

    public var specPath: String { path + "/spec.yaml" }
    public var planPath: String { path + "/trials.json" }
    public var lockPath: String { path + "/sweep.lock" }
    public var trialsPath: String { path + "/trials" }
    public var outcomesPath: String { path + "/outcomes" }
    public var logsPath: String { path + "/logs" }

    public func runPath(_ trial: SweepTrial) -> String { trialsPath + "/" + trial.name }
    public func outcomePath(_ trial: SweepTrial) -> String { outcomesPath + "/" + trial.name + ".json" }
    public func outputLogPath(_ trial: SweepTrial) -> String { logsPath + "/" + trial.name + ".out" }
    public func errorLogPath(_ trial: SweepTrial) -> String { logsPath + "/" + trial.name + ".err" }

    /// Whether `path` is a sweep (it has `trials.json`).
    public static func isSweep(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/trials.json")
    }

    public func readPlan() throws -> SweepPlan {
        guard let data = FileManager.default.contents(atPath: planPath) else {
            throw CheckpointError(path, "is not a sweep directory (no trials.json)")
        }
        do {
            return try JSONDecoder().decode(SweepPlan.self, from: data)
        } catch {
            throw CheckpointError(planPath, "not a valid sweep plan (\(error.localizedDescription))")
        }
    }

    public func outcome(_ trial: SweepTrial) -> TrialOutcome? {
        FileManager.default.contents(atPath: outcomePath(trial)).flatMap {
            try? JSONDecoder().decode(TrialOutcome.self, from: $0)
        }
    }

    /// Writes how a trial's attempt ended. Atomic, and per trial: the one process that ran the
    /// attempt writes it, be it the local `sweep` or a Slurm task's `sweep run-trial`.
    public func record(_ outcome: TrialOutcome, for trial: SweepTrial) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(outcome), to: outcomePath(trial))
    }

    /// What is left to do for a trial.
    public func state(_ trial: SweepTrial) -> TrialState {
        // A failed trial is tried again, from its run if it got as far as creating one.
        if outcome(trial)?.status == .done { return .done }
        return RunFiles(path: runPath(trial)).holdsRun ? .resumable : .new
    }
}

/// Where a trial stands: `done` is never run again; `resumable` continues from its run
/// (`train --resume`); `new` starts its run.
public enum TrialState: Sendable, Equatable {
    case new, resumable, done
}

/// A sweep folder owned by this process: the only `sweep` that may start trials in it.
public final class SweepDirectory: Sendable {
    public let files: SweepFiles
    public let plan: SweepPlan
    private let lock: FileLock

    private init(files: SweepFiles, plan: SweepPlan, lock: FileLock) {
        self.files = files
        self.plan = plan
        self.lock = lock
    }

    /// Creates the sweep at `path` (new, or an empty directory) holding `spec` as given and
    /// the plan. `trials.json` is written last, so a folder that has it is complete.
    public static func create(at path: String, spec: Data, plan: SweepPlan) throws -> SweepDirectory {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CheckpointError(path, "exists and is not a directory") }
            if SweepFiles.isSweep(path) {
                throw CheckpointError(
                    path,
                    "already holds a sweep; continue it with "
                        + "`sentree sweep --resume \(path)`")
            }
            let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? []
            if !entries.isEmpty {
                throw CheckpointError(path, "is not empty; a new sweep needs a new or empty directory")
            }
        }
        let files = SweepFiles(path: path)
        do {
            for dir in [path, files.trialsPath, files.outcomesPath, files.logsPath] {
                try manager.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
        } catch {
            throw CheckpointError(path, "cannot create the sweep directory: \(error.localizedDescription)")
        }
        let lock = try FileLock(path: files.lockPath)
        if let holder = try lock.tryLock() {
            throw CheckpointError(path, "is in use by another sentree sweep (\(holder))")
        }
        try AtomicFile.write(spec, to: files.specPath)
        try AtomicFile.write(try plan.encoded(), to: files.planPath)
        return SweepDirectory(files: files, plan: plan, lock: lock)
    }

    /// Takes over an existing sweep to finish it.
    public static func open(_ path: String) throws -> SweepDirectory {
        let files = SweepFiles(path: path)
        let plan = try files.readPlan()
        for dir in [files.trialsPath, files.outcomesPath, files.logsPath] {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let lock = try FileLock(path: files.lockPath)
        if let holder = try lock.tryLock() {
            throw CheckpointError(path, "is in use by another sentree sweep (\(holder)); stop it first")
        }
        return SweepDirectory(files: files, plan: plan, lock: lock)
    }

    public func record(_ outcome: TrialOutcome, for trial: SweepTrial) throws {
        try files.record(outcome, for: trial)
    }

    /// Whether a process holds the run's writer lock, probed without writing to the run:
    /// after a `kill -9` of a sweep its trials may still be saving.
    public static func runIsBusy(_ runPath: String) -> Bool {
        let fd = Glibc.open(RunFiles(path: runPath).lockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }
}
