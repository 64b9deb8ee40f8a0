import Foundation

/// A training run as a reader sees it: what it is and its evaluations so far, followed while
/// another process may still be training it.
///
/// Only reads: it never takes the run's lock and never writes into the run folder, so it
/// can look at a run that `train` or `--resume` is writing at the same moment.
public struct RunRecord: Sendable {
    public let files: RunFiles
    /// The run's settings: `run.json`, or for older runs the checkpoint's copy.
    public let config: TrainingConfig
    /// Epoch lines of `metrics.jsonl`, oldest first.
    public private(set) var epochs: [EpochRecord] = []
    /// Dev evaluations inside epochs (`--dev-every`), oldest first; empty for other runs.
    public private(set) var evaluations: [EvaluationRecord] = []
    private var tail: MetricsTail

    /// The folder's name, which is how people tell runs apart.
    public var name: String {
        (files.path as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? files.path
    }

    /// Opens the run at `path` and reads its metrics log.
    ///
    /// Throws for a path that is not a run, an unreadable `run.json`, and a metrics log
    /// with a line that is neither an epoch nor an event (naming the file and line).
    public static func open(_ path: String) throws -> RunRecord {
        let files = try RunFiles.existing(path)
        guard let config = try files.readConfig() ?? Self.checkpointConfig(files) else {
            throw CheckpointError(path, "has neither run.json nor a checkpoint to say what the run is")
        }
        var record = RunRecord(files: files, config: config, tail: MetricsTail(path: files.metricsPath))
        if let problem = record.refresh() { throw problem }
        return record
    }

    private init(files: RunFiles, config: TrainingConfig, tail: MetricsTail) {
        self.files = files
        self.config = config
        self.tail = tail
    }

    /// Settings of a run from before `run.json`: from its `best`, else `last`, checkpoint.
    static func checkpointConfig(_ files: RunFiles) throws -> TrainingConfig? {
        for path in [files.bestPath, files.lastPath] where FileManager.default.fileExists(atPath: path) {
            return try Checkpoint.read(from: path).config
        }
        return nil
    }

    /// Reads epochs appended since the last call; returns the first bad line found (it is
    /// skipped, so one bad line does not stop the following).
    @discardableResult
    public mutating func refresh() -> CheckpointError? {
        refreshReportingChange().problem
    }

    /// `refresh()`, also telling whether the epochs changed.
    public mutating func refreshReportingChange() -> (changed: Bool, problem: CheckpointError?) {
        let update = tail.poll()
        if update.replaced { (epochs, evaluations) = ([], []) }
        epochs += update.records
        evaluations += update.evaluations
        return (update.replaced || !update.records.isEmpty || !update.evaluations.isEmpty, update.problem)
    }

    /// The evaluation `best` holds: the best dev fine root (binary root for the binary task;
    /// the first of equals, as the trainer picks `best`) of the epoch ends and, with
    /// `--dev-every`, the evaluations inside epochs.
    public var best: BestEvaluation? { config.sentimentTask.best(epochs: epochs, evaluations: evaluations) }

    /// Whether every planned epoch is in the log.
    public var isFinished: Bool { (epochs.last?.epoch ?? 0) >= config.epochs }
}
