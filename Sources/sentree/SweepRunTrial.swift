import ArgumentParser
import Foundation
import SentreeCore

/// `sentree sweep run-trial DIR --index I`: one trial of a sweep, as a Slurm array task runs it.
struct SweepRunTrial: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-trial",
        abstract: "Run one trial of a sweep directory (what each task of `sweep --slurm` runs).",
        discussion: """
            Trains the trial as the local sweep would (`sentree train --headless --threads 1`, \
            output appended to logs/NAME.out and .err) and records its outcome. A trial that is \
            done is not run again (exit 0); an interrupted one resumes from its own checkpoint. \
            Takes no sweep lock, so many tasks share a sweep; the trial's run directory keeps its \
            single writer: a run held by another process is left alone (exit 75).

            SIGINT or SIGTERM (Slurm's scancel, or the end of --time) is passed to the trial, \
            which saves, and nothing is recorded: the next submission resumes it.

            Exit status: 0 done, 1 the trial failed, 75 its run is busy, 130 / 143 stopped.
            """)

    @Argument(help: "The sweep directory.") var sweep: String
    @Option(help: "The trial's index (trials.json, `sentree sweep plan`).") var index: Int

    func run() throws {
        let status = try reportingErrors { () throws -> Int32 in
            let files = SweepFiles(path: absolutePath(sweep))
            let plan = try files.readPlan()
            guard let trial = plan.trials.first(where: { $0.index == index }) else {
                throw CLIError(
                    "\(files.path): no trial \(index); its trials are 0–\(plan.trials.count - 1)")
            }
            if files.state(trial) == .done {
                print("trial \(trial.name) is done; nothing to run")
                return 0
            }
            if SweepDirectory.runIsBusy(files.runPath(trial)) {
                printError(
                    "trial \(trial.name): another process holds its run \(files.runPath(trial)) "
                        + "(a task of an earlier submission, or a local sweep); not started")
                return 75
            }
            let runner = SweepRunner(
                files: files, trials: [trial], jobs: 1, executable: ownExecutable(),
                progress: SweepProgress(interactive: false))
            return runner.run()
        }
        if status != 0 { throw ExitCode(status) }
    }
}
