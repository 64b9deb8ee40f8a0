import ArgumentParser
import Foundation
import SentreeCore

/// `sentree export`: runs and sweeps as CSV, for spreadsheets and pandas.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write runs' settings and metrics as CSV (one row per run and epoch, or --summary).",
        discussion: """
            Each PATH is a run directory or a sweep directory (all its trials that have a run). \
            Without --summary: one row per run and epoch, with the run's settings (model, dim, lr, \
            l2, seed, dropout, …) and the epoch's metrics from metrics.jsonl; runs trained with \
            --dev-every also get a row per dev evaluation inside an epoch, and then every row ends \
            in position (8 for the end of epoch 8, 8.25 a quarter into epoch 9) and kind (epoch or \
            evaluation). With --summary: one row per run at its best evaluation (by dev fine root, \
            binary root for --task binary: the one best.safetensors holds, best_epoch 8.25 when it \
            fell inside an epoch), and for a sweep one row per group of trials that differ only in \
            the seed, with the mean and standard deviation. The columns are listed in docs/sweeps.md.
            """)

    @Argument(help: "Run or sweep directories.") var paths: [String]
    @Option(help: "The CSV file to write (- for standard output).") var csv: String
    @Flag(help: "One row per run (its best evaluation) and per seed group, instead of per epoch.")
    var summary = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one run or sweep directory") }
    }

    func run() throws {
        try reportingErrors {
            if csv != "-" { try AtomicFile.checkWritable(csv) }
            var runs: [ExportedRun] = []
            for path in paths { runs += try Self.runs(at: path) }
            let table = summary ? RunTable.summary(runs) : RunTable.epochs(runs)
            let data = Data(table.text.utf8)
            if csv == "-" {
                FileHandle.standardOutput.write(data)
            } else {
                try AtomicFile.write(data, to: csv)
                printError("\(table.rows.count) rows → \(csv)")
            }
        }
    }

    /// The run at `path`, or every trial of the sweep there that has started its run.
    static func runs(at path: String) throws -> [ExportedRun] {
        guard SweepFiles.isSweep(path) else { return [ExportedRun(record: try RunRecord.open(path))] }
        let files = SweepFiles(path: path)
        return try files.readPlan().trials.compactMap { trial in
            let run = files.runPath(trial)
            guard RunFiles(path: run).holdsRun else { return nil }
            return ExportedRun(record: try RunRecord.open(run), sweep: path, trial: trial.name)
        }
    }
}
