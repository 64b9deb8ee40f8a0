import Dispatch
import Foundation
import Synchronization

/// Trains a tree model on a background Dispatch queue while a front end observes and steers.
///
/// Observing: every event goes to `onEvent`, in order, on the trainer's queue (keep the
/// handler cheap; `EventInbox` is made for this). Steering: the `TrainerControl` methods
/// may be called from any thread; they set flags that the training loop reads at the next
/// minibatch boundary. A paused trainer blocks on a semaphore and uses no CPU.
public final class Trainer: TrainerControl {
    public let config: TrainingConfig
    public let vocabulary: Vocabulary
    public let layout: ParameterLayout
    /// Per-node word ids of the dev treebank (-1 for internal nodes).
    public let devWordIDs: [Int32]
    public let stepsPerEpoch: Int
    /// Epochs already completed when this trainer was created (non-zero when resuming).
    public let startEpoch: Int
    /// How much of the vocabulary the pretrained vectors covered (nil without `embeddings`).
    public let embeddingCoverage: EmbeddingCoverage?

    let onEvent: @Sendable (TrainerEvent) -> Void
    let stopAfterWriteFailures: Int?
    let pending = Locked(PendingCommands())
    let wake = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let snapshot = Locked<ModelSnapshot?>(nil)
    let started = Locked(false)
    let queue = DispatchQueue(label: "sentree.trainer", qos: .userInitiated)
    /// The loop's own state. Only the training queue locks it, for the whole run.
    let loop: Mutex<TrainingLoop>

    /// Prepares a run: builds (or restores) the vocabulary, model and optimizer.
    ///
    /// - Parameters:
    ///   - run: the run directory this process owns, where `best`, `last` and `metrics.jsonl`
    ///     go; `nil` keeps nothing. The trainer releases it when training ends.
    ///   - resume: a checkpoint to continue from; its vocabulary, parameters, optimizer state
    ///     and position are used, and `config` only decides the epochs, threads, save
    ///     interval and data directory.
    ///   - stopAfterWriteFailures: stop (state `.failed`) after this many failed writes in a
    ///     row; `nil` keeps training whatever happens to the disk.
    public init(
        config: TrainingConfig, train: Treebank, dev: Treebank, run: RunDirectory?,
        resume: Checkpoint? = nil, stopAfterWriteFailures: Int? = nil,
        onEvent: @escaping @Sendable (TrainerEvent) -> Void
    ) throws {
        var config = config
        if let resume {
            let given = config
            config = resume.config
            config.epochs = given.epochs
            config.threads = given.threads
            config.saveInterval = given.saveInterval
            config.dataDirectory = given.dataDirectory ?? config.dataDirectory
        }
        let vocabulary =
            resume.map { Vocabulary(words: $0.vocabulary, lowercase: $0.lowercase) }
            ?? Vocabulary.build(from: train, lowercase: config.lowercase)
        try Self.check(config: config, train: train, dev: dev, vocabularySize: vocabulary.count)
        self.config = config
        self.onEvent = onEvent
        self.stopAfterWriteFailures = stopAfterWriteFailures
        self.vocabulary = vocabulary
        let model = config.modelConfig(vocabularySize: vocabulary.count)
        if let resume, resume.model != model {
            throw TrainerError("checkpoint model \(resume.model) does not match its vocabulary/config")
        }
        layout = ParameterLayout(model)
        let trainData = EncodedTreebank(train, words: vocabulary.encode(train))
        let devData = EncodedTreebank(dev, words: vocabulary.encode(dev))
        devWordIDs = devData.words
        stepsPerEpoch = (train.count + config.batchSize - 1) / config.batchSize
        // Past the epoch's end the loop would skip straight to scoring an epoch never trained.
        // Equal is real: a save after the last step, before the epoch was scored.
        if let resume, resume.progress.stepInEpoch > stepsPerEpoch {
            let file = run?.files.lastPath ?? "checkpoint", step = resume.progress.stepInEpoch
            throw TrainerError(
                "\(file): metadata 'progress': stepInEpoch must be at most the "
                    + "epoch's \(stepsPerEpoch) steps (got \(step))")
        }
        startEpoch = resume?.progress.epochsCompleted ?? 0
        var pretrained: [Float]? = nil
        var coverage = resume?.embeddings
        if resume == nil, let file = config.embeddings {
            let (dimension, vectors) = try PretrainedVectors.lookUp(file, vocabulary: vocabulary)
            guard dimension == model.inputWidth else {
                throw TrainerError(
                    "\(file) has \(dimension)-dimensional vectors but the model reads "
                        + "\(model.inputWidth)-dimensional words; pass --dim \(dimension) "
                        + "(or --input-dim \(dimension) for models with input weights)")
            }
            var p = layout.initialParameters(seed: config.seed)
            coverage = PretrainedVectors.apply(
                vectors, to: &p, offset: layout.L.offset, dimension: dimension,
                file: file, tokens: trainData.words)
            pretrained = p
        }
        embeddingCoverage = coverage
        let trainingLoop = try TrainingLoop(
            config: config, layout: layout, train: trainData, dev: devData,
            vocabulary: vocabulary, run: run, resume: resume, initial: pretrained)
        trainingLoop.embeddings = coverage
        loop = Mutex(trainingLoop)
        let initial = loop.withLock { $0.makeSnapshot() }
        snapshot.withLock { $0 = initial }
    }

    /// Refuses what cannot train: a setting out of its range, a run over the memory budget,
    /// or no trees to train or select on. Every source of settings meets the same rules:
    /// flags, run.json and checkpoints edited by hand (`Dropout` and `WordDropout` trap
    /// outside their range). The command line calls it too, before it creates a run directory.
    public static func check(
        config: TrainingConfig, train: Treebank, dev: Treebank,
        vocabularySize: Int
    ) throws {
        // Every source of settings meets the same rules: flags, run.json and checkpoints
        // edited by hand (`Dropout` and `WordDropout` trap outside their range).
        do { try config.validate(vocabularySize: vocabularySize) } catch { throw TrainerError(error) }
        guard train.count > 0 else { throw TrainerError("\(train.source): no training trees") }
        // With no dev trees every epoch scores 0% and `best` would be saved from nothing.
        guard dev.count > 0 else {
            throw TrainerError("\(dev.source): no dev trees; the dev set picks the best epoch")
        }
    }

    /// A trainer that writes to the run at `runDirectory`: a new run there, or with
    /// `resume`, the existing run continued (see `RunDirectory`).
    public convenience init(
        config: TrainingConfig, train: Treebank, dev: Treebank, runDirectory: String?,
        resume: Checkpoint? = nil, onEvent: @escaping @Sendable (TrainerEvent) -> Void
    ) throws {
        let run = try runDirectory.map {
            resume == nil
                ? try RunDirectory.create(at: $0, config: config) : try RunDirectory.openExisting($0)
        }
        try self.init(config: config, train: train, dev: dev, run: run, resume: resume, onEvent: onEvent)
    }

    /// Whether `start` was called: before it, nothing of the run was trained or written.
    public var hasStarted: Bool { started.withLock { $0 } }

    /// Starts training on the background queue (only the first call has an effect).
    public func start() {
        let first = started.withLock { s in
            defer { s = true }; return !s
        }
        guard first else { return }
        queue.async { [self] in
            loop.withLock { $0.run(trainer: self) }
            finished.signal()
        }
    }

    /// Blocks until training has finished or stopped.
    public func wait() {
        finished.wait()
        finished.signal()
    }

    // MARK: TrainerControl

    public func pause() { pending.withLock { $0.paused = true } }

    public func resume() { command { $0.paused = false } }

    public func setLearningRate(_ rate: Double) {
        guard rate > 0, rate.isFinite else { return }
        command { $0.learningRate = rate }
    }

    public func evaluateNow() { command { $0.evaluateRequested = true } }

    public func saveNow() { command { $0.saveRequested = true } }

    public func stop() { command { $0.stopRequested = true } }

    public func extend(by epochs: Int) {
        guard epochs > 0 else { return }
        command { $0.extraEpochs += epochs }
    }

    public func holdWhenDone() { pending.withLock { $0.holdWhenDone = true } }

    public var latestSnapshot: ModelSnapshot? { snapshot.withLock { $0 } }

    /// Applies a command and wakes a paused loop so it can act on it.
    private func command(_ change: (inout PendingCommands) -> Void) {
        let sleeping = pending.withLock { p in
            change(&p)
            return p.sleeping
        }
        if sleeping { wake.signal() }
    }

    func publish(_ s: ModelSnapshot) { snapshot.withLock { $0 = s } }
}

/// A configuration or data problem found before training starts.
public struct TrainerError: Error, CustomStringConvertible {
    public let description: String
    /// The setting out of range, when that is the problem, so a front end can name its flag.
    public let problem: ConfigProblem?
    public init(_ description: String) { self.description = description; problem = nil }
    public init(_ problem: ConfigProblem) { description = problem.description; self.problem = problem }
}
