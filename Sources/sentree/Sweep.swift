import ArgumentParser
import Foundation
import SentreeCore

/// `sentree sweep`: many trainings from one spec, run here as `train` child processes.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a hyperparameter sweep or seed group from a YAML spec (docs/sweeps.md).",
        subcommands: [SweepRun.self, SweepPlanCommand.self],
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

            Exit status: 0 every trial done, 1 some trial failed (or an error), 130 / 143 stopped by \
            Ctrl-C / SIGTERM.
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

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if resume != nil && (spec != nil || out != nil || data != nil) {
            throw ValidationError(
                "--resume DIR takes everything from the sweep; "
                    + "give no SPEC, --out or --data")
        }
        if resume == nil && spec == nil { throw ValidationError("give a SPEC file, or --resume DIR") }
    }

    func run() throws {
        let status = try reportingErrors { () throws -> Int32 in
            let sweep = try resume.map(SweepDirectory.open) ?? create()
            let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
            let progress = SweepProgress(interactive: isatty(STDOUT_FILENO) == 1)
            print("sweep \(TerminalText.sanitized(sweep.files.path))")
            fflush(nil)
            let runner = SweepRunner(
                sweep: sweep, jobs: jobs, executable: ownExecutable(),
                progress: progress)
            return runner.run()
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
