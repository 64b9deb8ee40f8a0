import ArgumentParser
import Foundation
import SentreeCore
import SentreeDashboard

struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open one or more runs, or a sweep, in the dashboard without training them.",
        discussion: """
            Read-only: takes no lock and writes nothing into the runs, so it works on finished runs \
            and on runs another process is training, whose new epochs and checkpoints it follows \
            (it re-reads metrics.jsonl and the checkpoints every second).

            The runs panel lists every run with its settings and the dev metrics of its best epoch; \
            the loss and accuracy charts overlay the runs, each with its own colour and marker. \
            The tree view and the dev-tree browser show the predictions of the run under the cursor, \
            from its best checkpoint (b switches to last).

            The dev set comes from the data directory recorded in the first run (--data overrides it).

            A sweep directory (sentree sweep) shows its trials table (status, epoch, best dev metrics; \
            s sorts), its seed groups with mean ± sd, their curves as a mean line in a min–max band, \
            and the leading group; it follows a sweep still running. Each trial is an ordinary run: \
            `sentree view DIR/trials/NAME` opens one with the trees, probes and views above.
            """)

    @Argument(help: "Run directories (written by sentree train), or one sweep directory.") var runs: [String]
    @Option(help: "Directory with dev.txt (default: the data directory the first run recorded).")
    var data: String?
    @Flag(help: "Start with predictions from each run's last checkpoint instead of best.") var last = false
    @OptionGroup var parserOptions: ParserOptions
    @Flag(help: "Do not read the mouse (clicks and the wheel then reach the terminal).") var noMouse = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run directory") }
    }

    func run() throws {
        if runs.count == 1, SweepFiles.isSweep(runs[0]) {
            guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
                throw CLIError("sentree view needs a terminal (standard input and output must be a tty)")
            }
            let status = Dashboard.viewSweep(path: runs[0], mouse: !noMouse)
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status = try reportingErrors { try viewRuns() }
        if status != 0 { throw ExitCode(status) }
    }

    func viewRuns() throws -> Int32 {
        let records = try runs.map(RunRecord.open)
        // One dev set scores every run: runs of different tasks read different trees and labels.
        let task = records[0].config.sentimentTask
        if let other = records.first(where: { $0.config.sentimentTask != task }) {
            throw CLIError(
                "\(records[0].files.path) is a \(task.rawValue)-task run and \(other.files.path) a "
                    + "\(other.config.sentimentTask.rawValue)-task one; view runs of one task together")
        }
        let dev = task.prepare(try Treebank.load(contentsOf: try devPath(records[0])))
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw CLIError("sentree view needs a terminal (standard input and output must be a tty)")
        }
        // A cached parser only: training one would hold up the viewer; the dashboard trains one
        // in the background if a plain sentence needs it (docs/dashboard.md).
        let sentences = try ParserSource.sentences(
            explicit: parserOptions.parser, dataDirectory: data ?? records[0].config.dataDirectory,
            train: false)
        // Every run's probes.txt, each probe once; a bad line is a note, not an error.
        var probes: [Probe] = []
        var seen = Set<String>()
        for record in records {
            let loaded = Probes.load(runDirectory: record.files.path, sentences: sentences)
            loaded.problems.forEach { printError("note: \($0)") }
            for p in loaded.probes where seen.insert(p.text).inserted { probes.append(p) }
        }
        var setup = DashboardSetup(
            config: records[0].config, dev: dev, devWordIDs: [],
            runDirectory: records[0].files.path, stepsPerEpoch: 0, startEpoch: 0,
            probes: probes, mouse: !noMouse, sentences: sentences)
        if sentences.parser == nil {
            setup.parserJob = ParserSource.backgroundJob(
                explicit: parserOptions.parser, dataDirectory: data ?? records[0].config.dataDirectory)
        }
        let watcher = RunWatcher(
            records: records, dev: dev, threads: ProcessInfo.processInfo.activeProcessorCount)
        return Dashboard.view(setup: setup, watcher: watcher, checkpoint: last ? .last : .best)
    }

    /// `dev.txt` of `--data`, else of the data directory the run recorded.
    func devPath(_ record: RunRecord) throws -> String {
        if let data {
            let path = data + "/dev.txt"
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIError("\(path): no such file (--data)")
            }
            return path
        }
        guard let stored = record.config.dataDirectory else {
            throw CLIError(
                "\(record.files.path) does not record its data directory (an older run); "
                    + "pass --data DIR with dev.txt")
        }
        let path = stored + "/dev.txt"
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(
                "the data directory of \(record.files.path), \(stored), has no dev.txt (moved?); "
                    + "pass --data DIR with dev.txt")
        }
        return path
    }
}
