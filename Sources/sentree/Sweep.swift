import ArgumentParser
import Foundation
import SentreeCore

/// `sentree sweep`: many trainings from one spec, run here as `train` child processes.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a hyperparameter sweep or seed group from a YAML spec (docs/sweeps.md).",
        subcommands: [SweepRun.self, SweepPlanCommand.self, SweepRunTrial.self],
        defaultSubcommand: SweepRun.self)
}

struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the trials of SPEC (the default: `sentree sweep SPEC`), "
            + "or finish a sweep with --resume.",
        discussion: """
            Creates a sweep directory with the spec as given, trials.json (one fixed configuration \
            per trial) and one ordinary run directory per trial under trials/, each trained by \
            `sentree train --headless --threads 1` as a child process, --jobs at a time. A failing \
            trial is recorded in outcomes/ with the end of its error output and the others go on.

            Ctrl-C or SIGTERM is passed to the running trials, which save; `sentree sweep --resume \
            DIR` then finishes the sweep: finished trials are never run again, interrupted ones \
            resume from their own checkpoints. So does it after the sweep was killed.

            With --slurm the trials run on a Slurm cluster instead: the sweep writes the sbatch array \
            script slurm/submit.sbatch into the sweep directory, one array task per trial not done, \
            each running `sentree sweep run-trial DIR --index $SLURM_ARRAY_TASK_ID`, and submits it \
            (--dry-run only writes it). The sweep directory must be on a filesystem the nodes share. \
            `sentree sweep --resume DIR --slurm` submits again whatever is not done.

            Exit status: 0 every trial done (or submitted), 1 some trial failed (or an error), \
            130 / 143 stopped by Ctrl-C / SIGTERM.
            """)

    @Argument(help: "The sweep spec (YAML).") var spec: String?
    @Option(help: "New sweep directory (default: sweeps/<spec name>-<time>).") var out: String?
    @Option(
        help: ArgumentHelp(
            "Data directory for every trial, replacing the spec's "
                + "(default: the spec's, else data/sst)."))
    var data: String?
    @Option(help: "Trials trained at once, each with one thread (default: one per core).") var jobs: Int?
    @Option(help: "Finish the sweep in this directory.") var resume: String?
    @Flag(help: "Run the trials as a Slurm job array (sbatch) instead of here.") var slurm = false
    @Option(help: "Slurm partition (--slurm).") var partition: String?
    @Option(name: .customLong("time"), help: "Slurm time limit of each trial, e.g. 2:00:00 (--slurm).")
    var timeLimit: String?
    @Option(help: "At most this many trials at once on Slurm (the array's %K).") var maxParallel: Int?
    @Option(
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "Another sbatch option, e.g. --sbatch-arg=--mem=2G (repeatable).", valueName: "option"))
    var sbatchArg: [String] = []
    @Flag(help: "With --slurm: write the sbatch script but do not submit it.") var dryRun = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if resume != nil && (spec != nil || out != nil || data != nil) {
            throw ValidationError(
                "--resume DIR takes everything from the sweep; "
                    + "give no SPEC, --out or --data")
        }
        if resume == nil && spec == nil { throw ValidationError("give a SPEC file, or --resume DIR") }
        if slurm {
            if jobs != nil {
                throw ValidationError("--jobs is for running here; on Slurm use --max-parallel")
            }
            if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1") }
        } else {
            let slurmOnly = [
                ("--partition", partition != nil), ("--time", timeLimit != nil),
                ("--max-parallel", maxParallel != nil), ("--sbatch-arg", !sbatchArg.isEmpty),
                ("--dry-run", dryRun),
            ]
            if let (flag, _) = slurmOnly.first(where: { $0.1 }) {
                throw ValidationError("\(flag) is for Slurm; add --slurm")
            }
        }
    }

    func run() throws {
        let status = try reportingErrors { () throws -> Int32 in
            // Before anything is created: without Slurm there is nothing to submit to.
            let sbatch = slurm && !dryRun ? try findSbatch() : nil
            let sweep = try resume.map(SweepDirectory.open) ?? create()
            if slurm { return try withExtendedLifetime(sweep) { try submit(sweep, sbatch: sbatch) } }
            let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
            let progress = SweepProgress(interactive: isatty(STDOUT_FILENO) == 1)
            print("sweep \(TerminalText.sanitized(sweep.files.path))")
            fflush(nil)
            let runner = SweepRunner(
                files: sweep.files, trials: sweep.plan.trials, jobs: jobs,
                executable: ownExecutable(), progress: progress)
            // The sweep's lock lives as long as the runner runs.
            return withExtendedLifetime(sweep) { runner.run() }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Reads the spec (all its errors come before anything is created), fixes the data
    /// directory, and creates the sweep directory.
    func create() throws -> SweepDirectory {
        let specPath = spec!
        let parsed = try SweepSpec.load(path: specPath)
        var dataDirectory: String? = nil
        if data != nil || !parsed.setsData {
            // Resolved once here, so the trials neither race to fetch SST nor depend on the cwd.
            dataDirectory = absolutePath(try SSTData.resolve(explicitDirectory: data) { printError($0) })
        }
        let plan = parsed.plan(data: dataDirectory)
        let path = out ?? defaultSweepPath(spec: specPath)
        let text = FileManager.default.contents(atPath: specPath) ?? Data()
        return try SweepDirectory.create(at: path, spec: text, plan: plan)
    }
}

/// `sweeps/<spec file name without extension>-<yyyyMMdd-HHmmss>`.
func defaultSweepPath(spec: String) -> String {
    let name = ((spec as NSString).lastPathComponent as NSString).deletingPathExtension
    let f = DateFormatter()
    f.dateFormat = "yyyyMMdd-HHmmss"
    f.locale = Locale(identifier: "en_US_POSIX")
    return "sweeps/\(name)-\(f.string(from: Date()))"
}
