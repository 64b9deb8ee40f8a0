/// What the trainer is doing right now.
public enum TrainerState: String, Sendable, Codable, CaseIterable {
    case starting = "STARTING"
    case running = "RUNNING"
    case paused = "PAUSED"
    case evaluating = "EVALUATING"
    case done = "DONE"
    case stopped = "STOPPED"
    /// Stopped because writing to the run directory kept failing, or the final save failed.
    case failed = "FAILED"
    /// Stopped because the loss or the parameters stopped being finite numbers (see
    /// `Divergence`); the broken parameters were not saved.
    case diverged = "DIVERGED"

    /// Whether the trainer has ended for good.
    public var isFinal: Bool { self == .done || self == .stopped || self == .failed || self == .diverged }
}

/// A write to the run directory that failed (full disk, directory gone or unwritable).
public struct WriteFailure: Sendable, Equatable {
    /// The file that could not be written.
    public var path: String
    /// `best`, `last`, `manual` or `metrics`.
    public var what: String
    public var error: String
    /// Failed writes in a row, this one included (a successful write resets it).
    public var consecutive: Int

    public init(path: String, what: String, error: String, consecutive: Int) {
        self.path = path; self.what = what; self.error = error; self.consecutive = consecutive
    }

    /// One line for a person: what failed, why, and that earlier checkpoints are intact.
    public var summary: String {
        "could not write \(what == "metrics" ? "the metrics log" : what) (\(error)); "
            + "training goes on, earlier checkpoints are intact"
    }
}

/// One minibatch update.
public struct StepEvent: Sendable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    /// Global step count since the start of the run (1-based, survives resume).
    public var step: Int
    /// 1-based step inside the current epoch.
    public var stepInEpoch: Int
    public var stepsPerEpoch: Int
    /// Mean cross-entropy per labelled node in this minibatch (no L2 term).
    public var loss: Double
    public var learningRate: Double
    /// Training throughput over the current epoch so far.
    public var treesPerSecond: Double

    public init(
        epoch: Int, step: Int, stepInEpoch: Int, stepsPerEpoch: Int, loss: Double,
        learningRate: Double, treesPerSecond: Double
    ) {
        self.epoch = epoch; self.step = step; self.stepInEpoch = stepInEpoch
        self.stepsPerEpoch = stepsPerEpoch; self.loss = loss
        self.learningRate = learningRate; self.treesPerSecond = treesPerSecond
    }
}

/// Result of evaluating a model snapshot on a treebank.
public struct EvaluationReport: Sendable {
    public var epoch: Int
    public var step: Int
    public var metrics: Metrics
    /// One entry per tree, in treebank order.
    public var outcomes: [TreeOutcome]
    /// The parameters that were evaluated.
    public var snapshot: ModelSnapshot

    public init(epoch: Int, step: Int, metrics: Metrics, outcomes: [TreeOutcome], snapshot: ModelSnapshot) {
        self.epoch = epoch; self.step = step; self.metrics = metrics
        self.outcomes = outcomes; self.snapshot = snapshot
    }
}

/// Summary of one finished epoch.
public struct EpochResult: Sendable {
    public var epoch: Int
    /// Mean per-node cross-entropy over the epoch's minibatches (no L2 term).
    public var trainLoss: Double
    public var dev: EvaluationReport
    /// Wall-clock seconds of training in this epoch (evaluation excluded).
    public var seconds: Double
    public var treesPerSecond: Double
    public var learningRate: Double
    /// Whether this epoch set a new best dev fine root (and `best` was saved).
    public var isBest: Bool
    /// Wall-clock seconds spent writing checkpoints during the epoch and at its end (not in
    /// `seconds`); nil for a run without a directory.
    public var saveSeconds: Double?

    public init(
        epoch: Int, trainLoss: Double, dev: EvaluationReport, seconds: Double,
        treesPerSecond: Double, learningRate: Double, isBest: Bool, saveSeconds: Double? = nil
    ) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.dev = dev; self.seconds = seconds
        self.treesPerSecond = treesPerSecond; self.learningRate = learningRate; self.isBest = isBest
        self.saveSeconds = saveSeconds
    }
}

/// Everything a front end can observe. Delivered on the trainer's queue, in order.
public enum TrainerEvent: Sendable {
    case state(TrainerState)
    case step(StepEvent)
    case epoch(EpochResult)
    /// An evaluation requested with `evaluateNow()`.
    case evaluation(EvaluationReport)
    /// A dev evaluation inside an epoch, from the run's `devEvery`.
    case devEvaluation(DevEvaluation)
    case learningRateChanged(Double)
    /// More epochs were added to the run (`extend(by:)`); `epochs` is its new total.
    case extended(epochs: Int)
    /// A checkpoint was written (path, and why: "last", "best", "manual").
    case saved(path: String, reason: String)
    /// A write to the run directory failed. Training goes on (unless the trainer was told
    /// to stop after repeated failures); the files saved before stay loadable.
    case writeFailed(WriteFailure)
    /// Something the user should read. Training goes on.
    case message(String)
    /// What the run's schedule did: a plateau's cut of the learning rate. Not a problem; the
    /// user may still want to know.
    case note(String)
    /// The patience ran out: training ends as done with epochs left; the text says where, why
    /// and where the best evaluation was. Its own case, so that a front end can say the run
    /// stopped early for as long as it shows the run, not only while the text is up.
    case stoppedEarly(String)
}

/// The steering half of a trainer, as a front end sees it. All methods are thread-safe and
/// take effect at the next minibatch boundary.
public protocol TrainerControl: AnyObject, Sendable {
    func pause()
    func resume()
    /// Sets the learning rate; values that are not positive and finite are ignored.
    func setLearningRate(_ rate: Double)
    func evaluateNow()
    func saveNow()
    /// Stops training after the current minibatch; `last` is saved before the trainer ends.
    func stop()
    /// Adds `epochs` to the run, while it trains or once it is done and held
    /// (`holdWhenDone()`); the run's `epochs` setting grows in its checkpoints and `run.json`.
    func extend(by epochs: Int)
    /// Keeps the trainer, once every epoch is done, waiting with its run directory held: it
    /// still evaluates, saves, takes a learning rate and `extend(by:)`, until `stop()`.
    /// Call before `start()`; without it the trainer ends (and `wait()` returns) when done.
    func holdWhenDone()
    /// The newest parameters published by the trainer (at least once per epoch and after
    /// every evaluation), for computing predictions off the training thread.
    var latestSnapshot: ModelSnapshot? { get }
}
