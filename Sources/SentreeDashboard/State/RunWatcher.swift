import Foundation
import SentreeCore

/// What identifies one version of a file: a checkpoint replaced atomically gets a new inode.
struct FileStamp: Equatable {
    var inode = 0, size = 0
    var modified = Date.distantPast
    var exists: Bool { inode != 0 }

    init(_ path: String) {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        inode = (a[.systemFileNumber] as? NSNumber)?.intValue ?? 0
        size = (a[.size] as? NSNumber)?.intValue ?? 0
        modified = a[.modificationDate] as? Date ?? .distantPast
    }
}

/// Follows the compared runs on disk for the dashboard: new epochs and evaluations inside
/// epochs from their metrics logs, and their checkpoints, evaluated on the dev set again
/// whenever the file changes.
///
/// Lives on the UI thread. It only reads: it never takes a run's lock and never writes
/// into a run, so the runs may be training in other processes.
public final class RunWatcher {
    private var records: [RunRecord]
    private let dev: Treebank
    private let threads: Int
    private var loaded: [FileStamp?]
    /// Where each loaded checkpoint stands, to name its place again once its evaluation is
    /// logged (`best` is saved just before the log line that reports it).
    private var loadedProgress: [TrainingProgress?]
    private var loadedChoice = CheckpointChoice.best
    private var lastPoll = Date.distantPast
    /// Seconds between looks at the files.
    public let interval: Double

    /// `threads` evaluate each checkpoint on `dev` (keep it 1 beside a live trainer).
    public init(records: [RunRecord], dev: Treebank, threads: Int = 1, interval: Double = 1) {
        self.records = records
        self.dev = dev
        self.threads = threads
        self.interval = interval
        loaded = Array(repeating: nil, count: records.count)
        loadedProgress = Array(repeating: nil, count: records.count)
    }

    /// The comparison at the start: every run with its epochs and its `best` predictions.
    public func makeState(viewOnly: Bool, checkpoint: CheckpointChoice = .best) -> CompareState {
        var state = CompareState(
            runs: records.map {
                ComparedRun(
                    name: $0.name, path: $0.files.path, config: $0.config, epochs: $0.epochs,
                    evaluations: $0.evaluations)
            }, viewOnly: viewOnly)
        state.checkpoint = checkpoint
        loadedChoice = checkpoint
        for i in records.indices { reloadIfChanged(i, &state.runs[i], choice: checkpoint) }
        if viewOnly { state.ensemble = EnsembleSummary.of(state.runs, dev: dev) }
        lastPoll = Date()
        return state
    }

    /// Reads new epochs and changed checkpoints, at most once per `interval` unless the
    /// user switched between best and last. Returns whether anything shown changed, so that
    /// an idle `sentree view` draws nothing (redrawing a 200,000-epoch chart ten times a
    /// second kept a core busy).
    @discardableResult
    public func poll(_ s: inout DashboardState, now: Date = Date()) -> Bool {
        guard var c = s.compare, now.timeIntervalSince(lastPoll) >= interval || c.checkpoint != loadedChoice
        else {
            return false
        }
        lastPoll = now
        var problem: CheckpointError? = nil
        var pickedChanged = false, anyChanged = c.checkpoint != loadedChoice, reloadedAny = false
        for i in records.indices {
            let (changed, bad) = records[i].refreshReportingChange()
            if changed {
                (c.runs[i].epochs, c.runs[i].evaluations) = (records[i].epochs, records[i].evaluations)
                if let progress = loadedProgress[i] {
                    c.runs[i].checkpointNote = note(progress, i, c.checkpoint)
                }
            }
            problem = problem ?? bad
            let reloaded = reloadIfChanged(i, &c.runs[i], choice: c.checkpoint)
            if reloaded, c.viewOnly, i == c.cursor { pickedChanged = true }
            reloadedAny = reloadedAny || reloaded
            anyChanged = anyChanged || changed || reloaded || bad != nil
        }
        if reloadedAny && c.viewOnly { c.ensemble = EnsembleSummary.of(c.runs, dev: dev) }
        loadedChoice = c.checkpoint
        s.compare = c
        if pickedChanged { s.showPickedRun() }
        if let problem {
            s.message = "\(problem) (line skipped)"
            s.messageIsError = true
        }
        return anyChanged
    }

    /// Loads run `i`'s chosen checkpoint if it changed since it was last loaded; returns
    /// whether the run's predictions changed.
    @discardableResult
    func reloadIfChanged(_ i: Int, _ run: inout ComparedRun, choice: CheckpointChoice) -> Bool {
        let files = records[i].files
        let path = choice == .best ? files.bestPath : files.lastPath
        let stamp = FileStamp(path)
        guard stamp != loaded[i] || choice != loadedChoice else { return false }
        loaded[i] = stamp
        run.outcomes = []
        run.metrics = nil
        run.snapshot = nil
        run.probabilities = []
        loadedProgress[i] = nil
        guard stamp.exists else {
            run.checkpointNote = "no \(choice.rawValue) checkpoint yet"
            return true
        }
        do {
            let checkpoint = try Checkpoint.read(from: path)
            let vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
            let ids = vocabulary.encode(dev)
            run.vocabulary = vocabulary
            let encoded = EncodedTreebank(dev, words: ids)
            let layout = ParameterLayout(checkpoint.model)
            let model = TreeModel<Float>(
                layout: layout, parameters: checkpoint.parameters, threads: threads,
                maxTreeSize: encoded.maxTreeSize)
            (run.metrics, run.outcomes) = model.evaluate(encoded, parameters: checkpoint.parameters)
            run.outcomes = run.outcomes.map(SentimentTask.of(classes: checkpoint.model.classes).shown)
            // Only an ensemble row needs them: twice the evaluation, so not for one run.
            run.probabilities =
                records.count > 1 ? model.nodeProbabilities(encoded, parameters: checkpoint.parameters) : []
            run.devWordIDs = ids
            let progress = checkpoint.progress
            run.snapshot = ModelSnapshot(
                layout: layout, parameters: checkpoint.parameters,
                epoch: progress.epochsCompleted, step: progress.globalStep)
            run.embeddings = checkpoint.embeddings
            // run.json keeps the planned epochs of the first start; a --resume may have raised them.
            run.config.epochs = max(run.config.epochs, checkpoint.config.epochs)
            loadedProgress[i] = progress
            run.checkpointNote = note(progress, i, choice)
        } catch {
            run.checkpointNote = TerminalText.sanitized("\(choice.rawValue) unreadable: \(error)")
        }
        return true
    }

    /// "best, epoch 8.25": which checkpoint of run `i` gives the predictions, and its place.
    func note(_ progress: TrainingProgress, _ i: Int, _ choice: CheckpointChoice) -> String {
        "\(choice.rawValue), epoch \(progress.place(evaluations: records[i].evaluations))"
    }
}
