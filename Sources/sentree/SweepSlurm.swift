import Foundation
import SentreeCore

/// `sentree sweep … --slurm`: the trials not done as one sbatch job array.
extension SweepRun {
    /// Writes the array script into the sweep and, unless --dry-run, submits it with `sbatch`
    /// (found beforehand by `findSbatch`, so a missing Slurm creates nothing).
    func submit(_ sweep: SweepDirectory, sbatch: String?) throws -> Int32 {
        let files = SweepFiles(path: absolutePath(sweep.files.path))
        let total = sweep.plan.trials.count
        let left = sweep.plan.trials.filter { files.state($0) != .done }
        print("sweep \(TerminalText.sanitized(files.path))")
        if left.isEmpty {
            print("all \(total) trials are done; nothing to submit")
            return 0
        }
        var script = SlurmScript(sweep: files.path, executable: ownExecutable(), indices: left.map(\.index))
        script.partition = partition
        script.time = timeLimit
        script.maxParallel = maxParallel
        script.extraArguments = sbatchArg
        if let problem = script.problem { throw CLIError("--slurm: \(problem)") }
        try files.writeSlurmScript(script)
        let what = "\(left.count) of \(total) trials (--array=\(script.arraySpec))"
        guard let sbatch else {
            print("wrote \(files.slurmScriptPath): \(what); not submitted (--dry-run)")
            return 0
        }
        let id = try runSbatch(sbatch, script: files.slurmScriptPath)
        try files.recordSlurmJob(id, array: script.arraySpec)
        print("submitted Slurm job \(id): \(what)")
        print("script \(files.slurmScriptPath), task output \(files.slurmPath)/\(id)_<index>.out")
        print("follow it with `sentree view \(files.path)` or `squeue -j \(id)`;")
        print("once it has ended, `sentree sweep --resume \(files.path) --slurm` submits what is not done")
        return 0
    }

    /// Submits `script`; returns the job id (`sbatch --parsable` prints `ID` or `ID;CLUSTER`).
    func runSbatch(_ sbatch: String, script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = ["--parsable", script]
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw CLIError("cannot start \(sbatch): \(error.localizedDescription)")
        }
        // sbatch prints a line or two: reading one pipe to its end cannot block the other.
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let id = output.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard process.terminationStatus == 0, let id, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let why = errors.trimmingCharacters(in: .whitespacesAndNewlines)
            throw CLIError(
                "sbatch \(script) failed (exit \(process.terminationStatus)): "
                    + (why.isEmpty ? output.trimmingCharacters(in: .whitespacesAndNewlines) : why))
        }
        return id
    }
}

/// `sbatch` on PATH, or an error that says what --slurm needs.
func findSbatch() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") where !dir.isEmpty {
        let candidate = String(dir) + "/sbatch"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CLIError(
        "sbatch not found on PATH: --slurm submits the trials with Slurm's sbatch, so run it on a "
            + "machine of the cluster (its login node); --dry-run only writes the script")
}
