import Foundation
import SentreeCore

/// The dev metric the accuracy overlay draws (`m` cycles through them).
public enum CompareMetric: Int, CaseIterable, Sendable {
    case fineRoot, fineAll, binaryRoot, binaryAll

    public var name: String { ["fine root", "fine all", "binary root", "binary all"][rawValue] }

    /// `name` for runs that all have `task`: a binary-task run's argmax is over 3 classes, so
    /// its `fine` figures are called `3-class`. Runs of both tasks (`nil`) draw both under
    /// one name, `fine/3-class`.
    public func name(task: SentimentTask?) -> String {
        guard self == .fineRoot || self == .fineAll else { return name }
        let argmax = task?.argmaxName ?? SentimentTask.allCases.map(\.argmaxName).joined(separator: "/")
        return name.replacing("fine", with: argmax)
    }

    public func value(_ e: some DevFigures) -> Double {
        switch self {
        case .fineRoot: e.fineRoot
        case .fineAll: e.fineAll
        case .binaryRoot: e.binaryRoot
        case .binaryAll: e.binaryAll
        }
    }
}

/// Which of a run's checkpoints gives the predictions of the tree view and browser.
public enum CheckpointChoice: String, Sendable {
    case best, last
}

/// One run in the comparison: what it is, its epochs, and its dev predictions.
public struct ComparedRun: Sendable {
    public var name: String
    public var path: String
    public var config: TrainingConfig
    public var embeddings: EmbeddingCoverage? = nil
    public var epochs: [EpochRecord]
    /// Dev evaluations inside epochs (`--dev-every`), oldest first.
    public var evaluations: [EvaluationRecord] = []
    /// The run this dashboard trains (its loss is also drawn per step).
    public var isLive = false
    /// Per dev tree outcome from the loaded checkpoint (empty until one is loaded).
    public var outcomes: [TreeOutcome] = []
    /// Dev metrics of the same checkpoint (accuracy by length for the `c` view).
    public var metrics: Metrics? = nil
    public var snapshot: ModelSnapshot? = nil
    /// Dev word ids under this run's vocabulary.
    public var devWordIDs: [Int32] = []
    /// The loaded checkpoint's vocabulary (probes are encoded with it in `sentree view`).
    public var vocabulary: Vocabulary? = nil
    /// Which checkpoint the predictions come from ("best, epoch 4"), or why there are none.
    public var checkpointNote: String? = nil
    /// The same checkpoint's class distribution of every dev node, flat (`sentree view` of
    /// several runs keeps them for the ensemble row; empty otherwise).
    public var probabilities: [Float] = []

    public init(
        name: String, path: String, config: TrainingConfig, epochs: [EpochRecord],
        evaluations: [EvaluationRecord] = []
    ) {
        self.name = name; self.path = path; self.config = config; self.epochs = epochs
        self.evaluations = evaluations
    }

    /// The evaluation `best` holds: the best dev fine root (binary root for a binary-task
    /// run; the first of equals, as the trainer keeps `best`), at an epoch's end or inside one.
    public var best: BestEvaluation? { config.sentimentTask.best(epochs: epochs, evaluations: evaluations) }

    /// Every dev evaluation as the live accuracy panel holds them (`DashboardState.epochs`):
    /// epoch ends and the evaluations inside epochs, in the order they happened.
    public var accuracyPoints: [EpochPoint] {
        inTimeOrder(epochs.map(EpochPoint.init) + evaluations.map(EpochPoint.init), at: \.at)
    }
}

/// `sentree view` of several runs: the runs' loaded checkpoints as one seed ensemble, their
/// dev node distributions averaged (`Ensemble`), as `sentree eval` with several checkpoints
/// scores them.
public struct EnsembleSummary: Sendable {
    /// Indices of the runs averaged (those with predictions over the same nodes and classes).
    public var members: [Int]
    public var metrics: Metrics

    /// The ensemble of `runs`' loaded checkpoints, or nil with fewer than two that can be
    /// averaged: the runs with distributions of the first such run's size (same dev set and
    /// classes) take part.
    public static func of(_ runs: [ComparedRun], dev: Treebank) -> EnsembleSummary? {
        guard let first = runs.first(where: { !$0.probabilities.isEmpty }) else { return nil }
        let size = first.probabilities.count
        guard dev.nodeCount > 0, size % dev.nodeCount == 0 else { return nil }
        let members = runs.indices.filter { runs[$0].probabilities.count == size }
        guard members.count >= 2 else { return nil }
        let average = Ensemble.average(members.map { runs[$0].probabilities })
        return EnsembleSummary(
            members: members,
            metrics: Ensemble.metrics(of: average, classes: size / dev.nodeCount, treebank: dev))
    }
}

/// Everything about the run comparison that keys change.
public struct CompareState: Sendable {
    /// Runs other than the live one (`train --compare`), or every run (`sentree view`).
    public var runs: [ComparedRun]
    /// `sentree view`: nothing trains, the runs panel picks whose predictions are shown.
    public var viewOnly: Bool
    /// Index into `DashboardState.comparedRuns`.
    public var cursor = 0
    /// Indices (into `comparedRuns`) of runs hidden from the curves.
    public var hidden: Set<Int> = []
    public var alignByTime = false
    public var metric = CompareMetric.fineRoot
    /// Browser shows only trees whose root the picked run and the reference predict differently.
    public var disagreeOnly = false
    public var checkpoint = CheckpointChoice.best
    /// `train --compare` can fold the comparison away to see the single-run panels (`r`).
    /// `sentree view` of several runs: their ensemble, shown below them in the runs table.
    public var ensemble: EnsembleSummary? = nil
    public var showRuns = true

    public init(runs: [ComparedRun], viewOnly: Bool) {
        self.runs = runs
        self.viewOnly = viewOnly
    }
}

extension DashboardState {
    /// Every run the comparison shows, the live one first in `train`.
    public var comparedRuns: [ComparedRun] {
        guard let c = compare else { return [] }
        return c.viewOnly ? c.runs : [liveRun] + c.runs
    }

    /// The trained run as the comparison sees it.
    var liveRun: ComparedRun {
        // The evaluations inside epochs apart, as a run's metrics log has them.
        let records = epochs.filter { $0.position == nil }.map {
            EpochRecord(
                epoch: $0.epoch, trainLoss: $0.trainLoss, fineAll: $0.fineAll, fineRoot: $0.fineRoot,
                binaryRoot: $0.binaryRoot, binaryAll: $0.binaryAll, seconds: $0.seconds,
                treesPerSecond: 0, learningRate: learningRate)
        }
        let inner = epochs.compactMap { p in
            p.position.map {
                EvaluationRecord(
                    epoch: p.epoch, step: 0, position: $0, fineAll: p.fineAll, fineRoot: p.fineRoot,
                    binaryRoot: p.binaryRoot, binaryAll: p.binaryAll, learningRate: learningRate,
                    best: p.at == bestPosition)
            }
        }
        let name = (setup.runDirectory as NSString).lastPathComponent
        var run = ComparedRun(
            name: name, path: setup.runDirectory, config: setup.config, epochs: records, evaluations: inner)
        run.isLive = true
        run.embeddings = setup.embeddings
        run.outcomes = outcomes
        run.metrics = views.metrics
        run.checkpointNote = "live"
        return run
    }

    /// The two runs the disagreement filter compares: the picked one and the first (or the
    /// second, when the first is picked).
    var disagreementPair: (picked: Int, reference: Int)? {
        let count = comparedRuns.count
        guard let c = compare, count >= 2 else { return nil }
        let picked = min(c.cursor, count - 1)
        return (picked, picked == 0 ? 1 : 0)
    }

    /// `rows` without the trees both runs of `disagreementPair` predict alike at the root,
    /// when the filter is on and both runs have predictions.
    func keepingDisagreements(_ rows: [Int]) -> [Int] {
        guard compare?.disagreeOnly == true, let (a, b) = disagreementPair else { return rows }
        let runs = comparedRuns
        let first = runs[a].outcomes, second = runs[b].outcomes
        guard first.count == setup.dev.count, second.count == setup.dev.count else { return rows }
        return rows.filter { first[$0].predictedRoot != second[$0].predictedRoot }
    }

    /// Focus order for Tab: the runs panel only when the comparison shows.
    func nextFocus(_ delta: Int) -> Panel {
        let order = Panel.allCases.filter { $0 != .runs || compare?.showRuns == true }
        let here = order.firstIndex(of: focus) ?? 0
        return order[(here + delta + order.count) % order.count]
    }

    /// Makes the browser and tree view show the picked run's predictions (`sentree view`).
    mutating func showPickedRun() {
        guard let c = compare, c.viewOnly, c.runs.indices.contains(c.cursor) else { return }
        outcomes = c.runs[c.cursor].outcomes
        prediction = nil
        predictionStep = nil
        browserCursor = min(browserCursor, max(0, browserRows.count - 1))
    }

    /// Keys of the comparison, and training keys in `sentree view`; `nil` for other keys.
    mutating func handleCompareKey(_ key: Key) -> [Command]? {
        guard var c = compare else { return nil }
        defer { compare = c }
        let count = comparedRuns.count
        switch key {
        case .char(" ") where c.viewOnly, .char("v"):
            if c.hidden.contains(c.cursor) { c.hidden.remove(c.cursor) } else { c.hidden.insert(c.cursor) }
            note(
                "\(comparedRuns[min(c.cursor, count - 1)].name) \(c.hidden.contains(c.cursor) ? "hidden" : "shown")"
            )
        case .char("p"), .char("+"), .char("="), .char("-"), .char("_"), .char("l"), .char("e"), .char("s"),
            .char("x"):
            guard c.viewOnly else { return nil }
            message =
                "view only: sentree view does not train (pause, learning rate, eval and save need sentree train)"
            messageIsError = true
        case .up, .down, .char("j"), .char("k"), .pageUp, .pageDown, .home, .end:
            guard focus == .runs, c.showRuns else { return nil }
            let delta =
                switch key {
                case .up, .char("k"): -1
                case .pageUp: -10
                case .pageDown: 10
                case .home: -count
                case .end: count
                default: 1
                }
            let next = max(0, min(count - 1, c.cursor + delta))
            if next != c.cursor {
                c.cursor = next
                compare = c
                showPickedRun()
                if c.disagreeOnly { noteDisagreement() }
            }
        case .char("m"):
            c.metric = CompareMetric(rawValue: (c.metric.rawValue + 1) % CompareMetric.allCases.count)!
        case .char("a"):
            c.alignByTime.toggle()
            note(c.alignByTime ? "runs aligned by training time" : "runs aligned by epoch")
        case .char("d"):
            guard disagreementPair != nil else {
                message = "the disagreement filter needs two runs"
                messageIsError = true
                return []
            }
            c.disagreeOnly.toggle()
            browserCursor = 0
            if c.disagreeOnly { noteDisagreement() } else { note("all dev trees") }
        case .char("b"):
            c.checkpoint = c.checkpoint == .best ? .last : .best
            note("predictions from each run's \(c.checkpoint.rawValue) checkpoint")
        case .char("r") where !c.viewOnly:
            c.showRuns.toggle()
            if !c.showRuns && focus == .runs { focus = .browser }
        default:
            return nil
        }
        return []
    }

    /// Names the two runs the disagreement filter compares, in the status line.
    private mutating func noteDisagreement() {
        guard let (a, b) = disagreementPair else { return }
        let runs = comparedRuns
        note("dev trees where \(runs[a].name) and \(runs[b].name) disagree at the root")
    }

    private mutating func note(_ text: String) {
        message = text
        messageIsError = false
    }
}
