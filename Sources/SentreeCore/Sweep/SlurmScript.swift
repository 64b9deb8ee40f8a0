import Foundation

/// The `sbatch` array script that runs a sweep's unfinished trials on a Slurm cluster, one
/// array task per trial, each as `sentree sweep run-trial DIR --index $SLURM_ARRAY_TASK_ID`.
///
/// Pure: the same inputs give the same bytes. Paths must be absolute, as the tasks start on
/// other nodes in other folders; the sweep folder must be on a filesystem they share.
public struct SlurmScript: Sendable, Equatable {
    /// The sweep folder, absolute.
    public let sweep: String
    /// The `sentree` executable the tasks run, absolute.
    public let executable: String
    /// The trials to run (the array's task ids are trial indices).
    public let indices: [Int]
    public var partition: String? = nil
    public var time: String? = nil
    /// At most this many tasks at once (the array's `%K`).
    public var maxParallel: Int? = nil
    /// More `sbatch` options, one `#SBATCH` line each.
    public var extraArguments: [String] = []

    public init(sweep: String, executable: String, indices: [Int]) {
        self.sweep = sweep
        self.executable = executable
        self.indices = indices
    }

    /// The indices as Slurm's array list: runs of consecutive numbers as ranges (`0-3,5,7-9`).
    public static func arrayList(_ indices: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = Array(Set(indices)).sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? String(sorted[i]) : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// `--array`'s value: the list and, with a limit, `%K`.
    public var arraySpec: String {
        Self.arrayList(indices) + (maxParallel.map { "%\($0)" } ?? "")
    }

    /// What makes the script unusable, if anything: `#SBATCH` lines take no quoting, so the
    /// sweep's path and each option must be plain words.
    public var problem: String? {
        if indices.isEmpty { return "no trials to run" }
        for (what, path) in [("the sweep directory", sweep), ("the sentree executable", executable)] {
            if !path.hasPrefix("/") { return "\(what) \(path) is not an absolute path" }
        }
        if let bad = sweep.first(where: { !Self.plain($0) }) {
            return "the sweep directory \(sweep) holds '\(bad)', which #SBATCH lines cannot carry "
                + "(use letters, digits and . _ - + / , = @)"
        }
        if let maxParallel, maxParallel < 1 { return "--max-parallel must be at least 1" }
        for (flag, value) in [("--partition", partition), ("--time", time)] {
            if let value, value.isEmpty || !value.allSatisfy(Self.plain) {
                return "\(flag) '\(value)' must be one word of letters, digits and . _ - + / , = @ :"
            }
        }
        for argument in extraArguments {
            if !argument.hasPrefix("-") || argument.contains(where: { $0.isWhitespace || $0.isNewline }) {
                return "--sbatch-arg '\(argument)' must be one sbatch option without spaces, "
                    + "e.g. --sbatch-arg=--mem=2G"
            }
        }
        return nil
    }

    static func plain(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "._-+/,=@:".contains(c))
    }

    /// The slurm/ folder of the sweep, where the script and the tasks' output go.
    public var folder: String { sweep + "/slurm" }

    public var text: String {
        let name = "sentree-" + String((sweep as NSString).lastPathComponent.filter(Self.plain).prefix(60))
        var lines = [
            "#!/bin/bash",
            "# Written by `sentree sweep --slurm`: the \(indices.count) trials of this sweep that were not",
            "# done. Submit what is still not done with `sentree sweep --resume \(sweep) --slurm`.",
            "#SBATCH --job-name=\(name)",
            "#SBATCH --array=\(arraySpec)",
            "#SBATCH --output=\(folder)/%A_%a.out",
            "#SBATCH --chdir=\(sweep)",
            "#SBATCH --ntasks=1",
            // Each trial trains with one thread (`--threads 1`), as in the local executor.
            "#SBATCH --cpus-per-task=1",
        ]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        lines += extraArguments.map { "#SBATCH \($0)" }
        lines.append(
            "exec \(Self.quoted(executable)) sweep run-trial \(Self.quoted(sweep))"
                + " --index \"$SLURM_ARRAY_TASK_ID\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `s` in single quotes for bash.
    static func quoted(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension SweepFiles {
    /// Where `sweep --slurm` writes its script, its tasks' output and the jobs it submitted.
    public var slurmPath: String { path + "/slurm" }
    public var slurmScriptPath: String { slurmPath + "/submit.sbatch" }
    public var slurmJobsPath: String { slurmPath + "/jobs.txt" }

    /// Writes the script (replacing the last submission's: the jobs log keeps what each held).
    public func writeSlurmScript(_ script: SlurmScript) throws {
        do {
            try FileManager.default.createDirectory(atPath: slurmPath, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError(slurmPath, "cannot create: \(error.localizedDescription)")
        }
        try AtomicFile.write(Data(script.text.utf8), to: slurmScriptPath)
    }

    /// Appends `JOBID ARRAY TIME` to `slurm/jobs.txt`: which submission ran which trials.
    public func recordSlurmJob(_ id: String, array: String, at date: Date = Date()) throws {
        let line = "\(id) \(array) \(ISO8601DateFormatter().string(from: date))\n"
        var old = FileManager.default.contents(atPath: slurmJobsPath) ?? Data()
        old.append(Data(line.utf8))
        try AtomicFile.write(old, to: slurmJobsPath)
    }
}
