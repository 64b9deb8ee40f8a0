import SentreeCore

/// Which panel the arrow keys act on.
public enum Panel: Int, CaseIterable, Sendable {
    case browser, tree, loss, accuracy, runs
    var title: String { ["dev trees", "tree", "loss", "accuracy", "runs"][rawValue] }
}

/// A line of text the user is typing (learning rate or search), or the quit question.
public enum InputMode: Equatable, Sendable {
    case none
    case learningRate(LineEditor)
    case search(LineEditor)
    case confirmQuit
}

/// One epoch's dev figures as the accuracy panel shows them.
public struct EpochPoint: Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var fineAll: Double
    public var fineRoot: Double
    public var binaryRoot: Double
    public var seconds: Double
    public var binaryAll = 0.0
    /// Where an evaluation inside an epoch fell, in epochs (2.25: a quarter into epoch 3);
    /// `nil` for the end of `epoch`. Such a point has no train loss of its own.
    public var position: Double? = nil

    /// Where the point sits on the chart's axis of epochs.
    public var at: Double { position ?? Double(epoch) }
}

extension EpochPoint: DevFigures {
    /// An epoch's end as `metrics.jsonl` logged it.
    public init(_ e: EpochRecord) {
        self.init(
            epoch: e.epoch, trainLoss: e.trainLoss, fineAll: e.fineAll, fineRoot: e.fineRoot,
            binaryRoot: e.binaryRoot, seconds: e.seconds, binaryAll: e.binaryAll)
    }

    /// An evaluation inside an epoch as `metrics.jsonl` logged it: no loss, no time of its own.
    public init(_ e: EvaluationRecord) {
        self.init(
            epoch: e.epoch, trainLoss: .nan, fineAll: e.fineAll, fineRoot: e.fineRoot,
            binaryRoot: e.binaryRoot,
            seconds: 0, binaryAll: e.binaryAll, position: e.position)
    }
}

/// Everything the screen shows. Events and keys change it; `render` only reads it.
public struct DashboardState: Sendable {
    public var setup: DashboardSetup
    public var trainer: TrainerState = .starting
    public var epoch = 0
    public var stepInEpoch = 0
    public var step = 0
    public var learningRate: Double
    public var treesPerSecond = 0.0
    /// Seconds the last epoch spent saving checkpoints, shown beside its speed.
    public var saveSeconds: Double? = nil
    /// Seconds since the dashboard started, maintained by the app loop.
    public var elapsed = 0.0
    /// Per-step minibatch loss.
    public var loss = LossHistory()
    /// Steps at which an epoch ended (for x-axis marks).
    public var epochEnds: [Int] = []
    public var epochs: [EpochPoint] = []
    public var bestEpoch: Int? = nil
    /// Where the best evaluation fell (`EpochPoint.at`): the end of `bestEpoch`, or inside it.
    public var bestPosition: Double? = nil
    /// Per dev tree outcome from the newest evaluation.
    public var outcomes: [TreeOutcome] = []
    public var evaluatedStep: Int? = nil
    /// Whether the patience ended training with epochs left (until `x` adds epochs).
    public var stoppedEarly = false

    // View state.
    public var focus: Panel = .browser
    public var selectedTree = 0
    /// Row of the browser list under the cursor.
    public var browserCursor = 0
    public var treeScroll = 0
    public var wrongOnly = false
    public var sortByLoss = false
    public var search = ""
    public var logScale = false
    public var showHelp = false
    public var input: InputMode = .none
    /// A one-line message for the status bar (e.g. "saved last", or an input error).
    ///
    /// It covers the key hints, so it goes at the next key, and one that is not an error
    /// also after `messageLifetime` seconds (see Messages.swift).
    public var message: String? = nil { didSet { messageSince = clock } }
    public var messageIsError = false
    /// `clock` when `message` was last set.
    public var messageSince = 0.0
    /// Seconds since the dashboard started, kept by the app loop also after training ends
    /// (unlike `elapsed`), so that messages expire on a finished run too.
    public var clock = 0.0
    /// Predictions for `selectedTree` from the snapshot at `predictionStep`.
    public var prediction: TreePrediction? = nil
    public var predictionStep: Int? = nil
    public var quitting = false
    /// The newest failed write, until a save succeeds again.
    public var writeFailure: WriteFailure? = nil
    /// Probes, the accuracy and tree views, help scrolling and the screen size (see Views.swift).
    public var views = ViewState()
    /// Other runs shown beside this one (`train --compare`), or all of them (`sentree view`).
    public var compare: CompareState? = nil

    public init(setup: DashboardSetup) {
        self.setup = setup
        learningRate = setup.config.learningRate
        epoch = setup.startEpoch
        views.probes = setup.probes.map { ProbeView($0, vocabulary: setup.vocabulary) }
        // Probes given at start (--probe, probes.txt) are what the user came to watch.
        if !views.probes.isEmpty { views.shownProbe = 0 }
    }

    /// Whether training can still change (so quitting needs confirmation).
    public var isTraining: Bool { !trainer.isFinal }

    /// Folds one trainer event into the state.
    public mutating func apply(_ event: TrainerEvent) {
        switch event {
        case .state(let s):
            trainer = s
        case .step(let e):
            epoch = e.epoch
            stepInEpoch = e.stepInEpoch
            step = e.step
            learningRate = e.learningRate
            treesPerSecond = e.treesPerSecond
            loss.append(Float(e.loss))
        case .epoch(let r):
            let m = r.dev.metrics
            epochs.append(
                EpochPoint(
                    epoch: r.epoch, trainLoss: r.trainLoss, fineAll: m.fineAll,
                    fineRoot: m.fineRoot, binaryRoot: m.binaryRoot, seconds: r.seconds,
                    binaryAll: m.binaryAll))
            if r.isBest { (bestEpoch, bestPosition) = (r.epoch, Double(r.epoch)) }
            saveSeconds = r.saveSeconds
            epochEnds.append(loss.count)
            treesPerSecond = r.treesPerSecond
            takeEvaluation(r.dev)
        case .devEvaluation(let e):
            let m = e.dev.metrics
            epochs.append(
                EpochPoint(
                    epoch: e.dev.epoch, trainLoss: .nan, fineAll: m.fineAll, fineRoot: m.fineRoot,
                    binaryRoot: m.binaryRoot, seconds: 0, binaryAll: m.binaryAll, position: e.position))
            if e.isBest { (bestEpoch, bestPosition) = (e.dev.epoch, e.position) }
            takeEvaluation(e.dev)
        case .note(let text):
            message = text
            messageIsError = false
        case .stoppedEarly(let text):
            stoppedEarly = true
            message = text
            messageIsError = false
        case .evaluation(let report):
            takeEvaluation(report)
            let m = report.metrics
            message = "dev now: " + SentimentTask.of(classes: m.confusionAll.count).figuresLine(m)
            messageIsError = false
        case .extended(let total):
            setup.config.epochs = total
            // More epochs override the patience that ran out: the trainer goes on.
            stoppedEarly = false
            message = "the run now has \(total) epochs"
            messageIsError = false
        case .learningRateChanged(let rate):
            learningRate = rate
            message = "learning rate set to \(formatRate(rate))"
            messageIsError = false
        case .saved(let path, let reason):
            writeFailure = nil
            // Automatic saves of best/last happen every few seconds; only announce a user's.
            if reason == "manual" {
                message = "saved \(path)"
                messageIsError = false
            }
        case .writeFailed(let failure):
            writeFailure = failure
            message = failure.summary
            messageIsError = true
        case .message(let text):
            message = text
            messageIsError = true
        }
    }

    mutating func takeEvaluation(_ report: EvaluationReport) {
        let task = SentimentTask.of(classes: report.metrics.confusionAll.count)
        outcomes = report.outcomes.map(task.shown)
        evaluatedStep = report.step
        views.metrics = report.metrics
        // Each evaluation carries its snapshot: probes see every epoch, even one finished
        // between two frames (the per-frame poll of the latest snapshot would skip it).
        updateProbes(from: report.snapshot)
    }

    /// Dev tree indices in browser order (filter, search, sort applied).
    public var browserRows: [Int] {
        let dev = setup.dev
        var rows = Array(0 ..< dev.count)
        if wrongOnly && !outcomes.isEmpty { rows = rows.filter { !outcomes[$0].correct } }
        if !search.isEmpty {
            let needle = search.lowercased()
            rows = rows.filter { dev.sentence(tree: $0).lowercased().contains(needle) }
        }
        rows = keepingDisagreements(rows)
        if sortByLoss && !outcomes.isEmpty {
            rows.sort {
                outcomes[$0].loss > outcomes[$1].loss || (outcomes[$0].loss == outcomes[$1].loss && $0 < $1)
            }
        }
        return rows
    }

    /// Progress through the whole run, 0…1: the steps done, also once training is over, so
    /// that a run the patience stopped at step 86 of 342 is not drawn as complete.
    public var progress: Double {
        let total = Double(setup.config.epochs * setup.stepsPerEpoch)
        guard total > 0 else { return 0 }
        // Before the first step `epoch` is the epochs a resumed run had completed.
        let done = Double(
            stepInEpoch == 0 ? epoch * setup.stepsPerEpoch : (epoch - 1) * setup.stepsPerEpoch + stepInEpoch)
        return min(1, done / total)
    }
}

/// A learning rate as users type it: up to 4 significant digits.
func formatRate(_ rate: Double) -> String {
    var s = String(format: "%.4g", rate)
    if s.contains("e") { s = String(format: "%.2e", rate) }
    return s
}
