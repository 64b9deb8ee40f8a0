import Dispatch
import Foundation

/// The state and loop of one training run; lives on the trainer's queue only.
final class TrainingLoop {
    /// The run's settings; only `epochs` changes, when the run is extended.
    var config: TrainingConfig
    let layout: ParameterLayout
    let train: EncodedTreebank
    let dev: EncodedTreebank
    let vocabulary: Vocabulary
    let run: RunDirectory?
    let log: MetricsLog?
    let model: TreeModel<Float>
    var parameters: [Float]
    var optimizer: Optimizer
    var progress: TrainingProgress
    var history: [EpochRecord]
    /// Where `L` started from, kept in every checkpoint.
    var embeddings: EmbeddingCoverage? = nil
    var isPaused = false
    var lastSave = DispatchTime.now()
    /// Seconds between automatic saves of `last` (always on stop and at the end).
    let saveInterval: Double
    /// The run's word dropout (`nil` without), its counts taken from `train` once.
    let wordDropout: WordDropout?
    /// Failed writes to the run directory in a row.
    var writeFailures = 0
    /// What the run's files on disk hold, for the message if training diverges.
    var saved = Divergence.SavedFiles(lastEpochsCompleted: nil)
    /// The dev fine root of the run's `best.safetensors` when training began (-1 for none).
    /// A run killed before `last` was first saved restarts from epoch 1, and its `best` may
    /// come from later, better epochs than the new life's first: only a better score
    /// replaces it.
    var bestOnDisk = -1.0
    /// Seconds spent writing checkpoints since the epoch began, reported with the epoch:
    /// `--save-interval 0` once made two epochs take 30 s while their lines said 0.1 s.
    var saveSeconds = 0.0

    init(
        config: TrainingConfig, layout: ParameterLayout, train: EncodedTreebank, dev: EncodedTreebank,
        vocabulary: Vocabulary, run: RunDirectory?, resume: Checkpoint?, initial: [Float]? = nil
    ) throws {
        self.config = config
        self.layout = layout
        self.train = train
        self.dev = dev
        self.vocabulary = vocabulary
        self.run = run
        log = run.map { MetricsLog(path: $0.files.metricsPath, faults: $0.faults) }
        saveInterval = config.saveInterval ?? TrainingConfig.defaultSaveInterval
        wordDropout = config.wordDropout.flatMap { alpha in
            alpha > 0
                ? WordDropout(alpha: alpha, train: train, vocabularySize: layout.config.vocabularySize) : nil
        }
        // One life per log: epochs after the checkpoint (all of them when a run killed before
        // its first `last` starts again from epoch 1) were lost and will be trained again.
        try log?.truncate(
            afterEpoch: resume?.progress.epochsCompleted ?? 0, step: resume?.progress.globalStep ?? 0)
        parameters = resume?.parameters ?? initial ?? layout.initialParameters(seed: config.seed)
        optimizer = Optimizer(
            kind: config.optimizer, layout: layout,
            accumulator: resume.flatMap { $0.optimizerState.isEmpty ? nil : $0.optimizerState },
            wordKind: config.wordOptimizer)
        optimizer.embeddingScale = Float(config.embeddingLRScale ?? 1)
        optimizer.classifierL2 = config.l2Classifier.map(Float.init)
        optimizer.wordL2 = Float(config.l2Words ?? 0)
        optimizer.epsilon = config.adagradEpsilon.map(Float.init) ?? Optimizer.defaultEpsilon
        progress =
            resume?.progress
            ?? TrainingProgress(
                epochsCompleted: 0, stepInEpoch: 0, globalStep: 0, learningRate: config.learningRate,
                bestFineRoot: -1, bestEpoch: 0, elapsedSeconds: 0)
        history = resume?.history ?? []
        if let resume {
            saved = Divergence.SavedFiles(
                lastEpochsCompleted: resume.progress.epochsCompleted,
                lastStepInEpoch: resume.progress.stepInEpoch,
                bestEpoch: resume.progress.bestEpoch)
        }
        // An unreadable `best` holds nothing to keep; the next best replaces it.
        if let run, let best = try? Checkpoint.read(from: run.files.bestPath) {
            bestOnDisk = best.progress.bestFineRoot
            saved.bestEpoch = best.progress.bestEpoch
        }
        let threads = config.threads > 0 ? config.threads : ProcessInfo.processInfo.activeProcessorCount
        model = TreeModel(
            layout: layout, parameters: parameters, threads: threads,
            maxTreeSize: max(train.maxTreeSize, dev.maxTreeSize))
    }

    func makeSnapshot() -> ModelSnapshot {
        ModelSnapshot(
            layout: layout, parameters: parameters, epoch: progress.epochsCompleted,
            step: progress.globalStep)
    }

    /// Trains until all epochs are done or a stop is requested; a trainer told to hold when
    /// done then waits for more epochs (see `holdDone`).
    func run(trainer t: Trainer) {
        t.onEvent(.state(.running))
        while true {
            guard trainEpochs(t) else { return }
            guard t.pending.withLock({ $0.holdWhenDone }) else { return finish(t, state: .done) }
            guard holdDone(t) else { return finish(t, state: .done) }
            t.onEvent(.state(.running))
        }
    }

    /// Trains the epochs left; returns false when training ended early (stopped, failed or
    /// diverged, with `finish` or `diverged` done).
    func trainEpochs(_ t: Trainer) -> Bool {
        // Out of patience (resumed, or held after the stop): done, whatever epochs are left.
        if isOutOfPatience { return true }
        var epoch = progress.epochsCompleted + 1
        while epoch <= config.epochs {
            // At the epoch boundary only: a run resumed mid-epoch was reset when the epoch began,
            // and one resumed at the boundary saved its Σg² before the reset, so it resets now.
            if progress.stepInEpoch == 0 && config.resetsAccumulator(beforeEpoch: epoch) {
                optimizer.resetAccumulator()
            }
            var order = Array(0 ..< train.count)
            var rng = SplitMix64.stream(seed: config.seed, UInt64(epoch))
            order.shuffle(using: &rng)
            let steps = (train.count + config.batchSize - 1) / config.batchSize
            var lossSum = 0.0, nodes = 0, trees = 0
            var active = 0.0
            var step = progress.stepInEpoch
            saveSeconds = 0
            while step < steps {
                guard steer(t, epoch: epoch) else {
                    finish(t, state: tooManyFailures(t) ? .failed : .stopped)
                    return false
                }
                let started = DispatchTime.now()
                let batch = Array(
                    order[step * config.batchSize ..< min(train.count, (step + 1) * config.batchSize)])
                let (loss, count) = trainStep(batch)
                guard loss.isFinite else {
                    diverged(t, epoch: epoch, step: step + 1)
                    return false
                }
                let seconds = started.secondsUntilNow
                active += seconds
                progress.elapsedSeconds += seconds
                lossSum += loss; nodes += count; trees += batch.count
                step += 1
                progress.stepInEpoch = step
                progress.globalStep += 1
                t.onEvent(
                    .step(
                        StepEvent(
                            epoch: epoch, step: progress.globalStep, stepInEpoch: step, stepsPerEpoch: steps,
                            loss: count > 0 ? loss / Double(count) : 0, learningRate: progress.learningRate,
                            treesPerSecond: Double(trees) / max(active, 1e-9))))
                if config.devEvery != nil {
                    guard parameters.allSatisfy(\.isFinite) else {
                        diverged(t, epoch: epoch, step: step)
                        return false
                    }
                    if evaluateInEpoch(t, epoch: epoch, step: step, steps: steps) {
                        save(t, reason: "last")
                        return true
                    }
                }
                if Self.savesMidEpoch(secondsSinceSave: lastSave.secondsUntilNow, interval: saveInterval) {
                    guard parameters.allSatisfy(\.isFinite) else {
                        diverged(t, epoch: epoch, step: step)
                        return false
                    }
                    save(t, reason: "last")
                }
            }
            // A last update can break the parameters after a finite loss; never score or save them.
            guard parameters.allSatisfy(\.isFinite) else {
                diverged(t, epoch: epoch, step: step)
                return false
            }
            let report = evaluate(t, epoch: epoch)
            progress.epochsCompleted = epoch
            progress.stepInEpoch = 0
            let record = EpochRecord(
                epoch: epoch, trainLoss: nodes > 0 ? lossSum / Double(nodes) : 0,
                fineAll: report.metrics.fineAll, fineRoot: report.metrics.fineRoot,
                binaryRoot: report.metrics.binaryRoot, binaryAll: report.metrics.binaryAll,
                seconds: active, treesPerSecond: Double(trees) / max(active, 1e-9),
                learningRate: progress.learningRate)
            let previous = history.last
            history.append(record)
            let (gain, isBest) = takeBest(t, report, epoch: epoch)
            let scheduled = countEvaluation(gain: gain)
            logging(t) { try $0.appendEpoch(record) }
            // After the log line (a kill between the two leaves a logged epoch that the
            // resume trims), before the report, so that the report counts this save.
            // A stop by patience saves too: a resume must know the patience ran out.
            let savesLast =
                epoch == config.epochs || scheduled.stop || lastSave.secondsUntilNow > saveInterval
            if savesLast { save(t, reason: "last") }
            t.onEvent(
                .epoch(
                    EpochResult(
                        epoch: epoch, trainLoss: record.trainLoss, dev: report, seconds: active,
                        treesPerSecond: record.treesPerSecond, learningRate: record.learningRate,
                        isBest: isBest, saveSeconds: run == nil ? nil : saveSeconds)))
            if let warning = Divergence.lossJumpWarning(
                previous: previous, current: record,
                bestEpoch: saved.bestEpoch)
            {
                t.onEvent(.message(warning))
            }
            announce(t, scheduled, epoch: epoch)
            if scheduled.stop { return true }
            epoch += 1
        }
        return true
    }

    /// Every epoch done, with a front end that may want more: publishes the parameters, says
    /// DONE and serves commands until `extend` (returns true: train on) or `stop` (false).
    func holdDone(_ t: Trainer) -> Bool {
        guard parameters.allSatisfy(\.isFinite) else { return false }
        t.publish(makeSnapshot())
        t.onEvent(.state(.done))
        let epoch = progress.epochsCompleted
        while true {
            let c = t.pending.withLock { p -> PendingCommands in
                let copy = p.take()
                // Checked and set under the lock, so a command sent from now on wakes us.
                p.sleeping = !copy.hasWork
                return copy
            }
            if c.stopRequested { return false }
            if let rate = c.learningRate, rate != progress.learningRate {
                progress.learningRate = rate
                logEvent(t, "learning_rate", epoch: epoch)
                t.onEvent(.learningRateChanged(rate))
            }
            if c.evaluateRequested { t.onEvent(.evaluation(evaluate(t, epoch: epoch, then: .done))) }
            if c.saveRequested { save(t, reason: "manual") }
            if c.extraEpochs > 0 {
                extend(t, by: c.extraEpochs)
                return true
            }
            if c.sleeping {
                t.wake.wait()
                t.pending.withLock { $0.sleeping = false }
            }
        }
    }

    /// Adds epochs to the run: its settings (in `run.json` and every later checkpoint) and
    /// the metrics log say how many it now has.
    func extend(_ t: Trainer, by epochs: Int) {
        config.epochs += epochs
        // Asking for more epochs overrides the patience that ran out.
        if isOutOfPatience { progress.evaluationsWithoutGain = 0 }
        if let run {
            do {
                try run.writeConfig(config)
            } catch {
                failed(t, path: run.files.configPath, what: "run.json", error)
            }
        }
        logging(t) {
            try $0.appendEvent(
                name: "extend",
                fields: [
                    "epoch": .int(progress.epochsCompleted), "step": .int(progress.globalStep),
                    "learning_rate": .double(progress.learningRate), "epochs": .int(config.epochs),
                ])
        }
        t.onEvent(.extended(epochs: config.epochs))
    }

    /// Whether `last` is saved in the middle of an epoch: once three save intervals have
    /// passed, so a long epoch is not lost whole. Interval 0 means "at every epoch end" and
    /// never mid-epoch (it used to save after every minibatch: 0.55 s of training took 30 s).
    static func savesMidEpoch(secondsSinceSave: Double, interval: Double) -> Bool {
        interval > 0 && secondsSinceSave > 3 * interval
    }

    /// One minibatch update: gradient of the objective, optimizer step, repack.
    ///
    /// Returns the summed cross-entropy and the number of labelled nodes of the batch.
    func trainStep(_ batch: [Int]) -> (loss: Double, nodes: Int) {
        let rate = config.dropout ?? 0
        let step = UInt64(progress.globalStep)
        let dropout = Dropout.forStep(
            step, rate: rate, seed: config.seed, words: wordDropout, leafRate: config.leafDropout ?? 0,
            stateRate: config.stateDropout ?? 0)
        let (loss, nodes, shards) = model.shardGradients(
            trees: batch, data: train, parameters: parameters,
            dropout: dropout)
        optimizer.step(
            &parameters, shards: shards, scale: 1 / Float(batch.count), l2: Float(config.l2),
            learningRate: progress.learningRate, wordLearningRate: wordLearningRate, pool: model.pool)
        model.load(parameters: parameters)
        return (loss, nodes)
    }

    /// Handles commands at a minibatch boundary; returns false when training must stop.
    func steer(_ t: Trainer, epoch: Int) -> Bool {
        while true {
            let c = t.pending.withLock { $0.take() }
            if c.extraEpochs > 0 { extend(t, by: c.extraEpochs) }
            if let rate = c.learningRate, rate != progress.learningRate {
                progress.learningRate = rate
                logEvent(t, "learning_rate", epoch: epoch)
                t.onEvent(.learningRateChanged(rate))
            }
            if c.evaluateRequested {
                let report = evaluate(t, epoch: epoch)
                t.onEvent(.evaluation(report))
            }
            if c.saveRequested { save(t, reason: "manual") }
            if c.stopRequested || tooManyFailures(t) { return false }
            if c.paused {
                if !isPaused {
                    isPaused = true
                    logEvent(t, "pause", epoch: epoch)
                    t.onEvent(.state(.paused))
                }
                let sleep = t.pending.withLock { p -> Bool in
                    guard p.paused, !p.stopRequested, !p.evaluateRequested, !p.saveRequested,
                        p.learningRate == nil, p.extraEpochs == 0
                    else { return false }
                    p.sleeping = true
                    return true
                }
                if sleep {
                    t.wake.wait()
                    t.pending.withLock { $0.sleeping = false }
                }
                continue
            }
            if isPaused {
                isPaused = false
                logEvent(t, "resume", epoch: epoch)
                t.onEvent(.state(.running))
            }
            return true
        }
    }

    /// Scores dev with the current parameters and publishes them as the latest snapshot.
    /// `then` is the state to report afterwards (by default running, or paused).
    func evaluate(_ t: Trainer, epoch: Int, then: TrainerState? = nil) -> EvaluationReport {
        t.onEvent(.state(.evaluating))
        let (metrics, outcomes) = model.evaluate(dev, parameters: parameters)
        let snapshot = makeSnapshot()
        t.publish(snapshot)
        t.onEvent(.state(then ?? (isPaused ? .paused : .running)))
        return EvaluationReport(
            epoch: epoch, step: progress.globalStep, metrics: metrics,
            outcomes: outcomes, snapshot: snapshot)
    }

    func checkpoint() -> Checkpoint {
        var c = Checkpoint(
            config: config, model: layout.config, parameters: parameters,
            optimizerState: optimizer.accumulator, vocabulary: vocabulary.words,
            lowercase: vocabulary.lowercase, progress: progress, history: history)
        c.embeddings = embeddings
        return c
    }

    /// Writes `best` or `last` ("manual" saves go to `last`); failures are reported, not fatal.
    ///
    /// Returns whether the file was written. Parameters that are no longer finite numbers are
    /// never written over a good file, whoever asks (the loop, or a save from the dashboard
    /// between the update that broke them and the loss that would show it); the loop stops as
    /// diverged when it meets them.
    @discardableResult
    func save(_ t: Trainer, reason: String) -> Bool {
        guard let run else { return true }
        guard parameters.allSatisfy(\.isFinite) else { return false }
        let path = reason == "best" ? run.files.bestPath : run.files.lastPath
        let started = DispatchTime.now()
        defer { saveSeconds += started.secondsUntilNow }
        do {
            try checkpoint().write(to: path, fault: run.faults?.inject(path))
            if reason != "best" { lastSave = .now() }
            if reason == "best" {
                saved.bestEpoch = progress.bestEpoch
            } else {
                saved.lastEpochsCompleted = progress.epochsCompleted
                saved.lastStepInEpoch = progress.stepInEpoch
            }
            writeFailures = 0
            t.onEvent(.saved(path: path, reason: reason))
            return true
        } catch {
            // Count it as a save attempt, so a full disk is retried every interval, not every step.
            if reason != "best" { lastSave = .now() }
            failed(t, path: path, what: reason, error)
            return false
        }
    }

    /// Runs one metrics-log write, reporting a failure.
    func logging(_ t: Trainer, _ write: (MetricsLog) throws -> Void) {
        guard let log else { return }
        do {
            try write(log)
        } catch {
            failed(t, path: log.path, what: "metrics", error)
        }
    }

    func failed(_ t: Trainer, path: String, what: String, _ error: Error) {
        writeFailures += 1
        let reason = (error as? CheckpointError)?.message ?? "\(error)"
        t.onEvent(
            .writeFailed(WriteFailure(path: path, what: what, error: reason, consecutive: writeFailures)))
    }

    func tooManyFailures(_ t: Trainer) -> Bool {
        t.stopAfterWriteFailures.map { writeFailures >= $0 } ?? false
    }

    func logEvent(_ t: Trainer, _ name: String, epoch: Int) {
        logging(t) {
            try $0.appendEvent(
                name: name,
                fields: [
                    "epoch": .int(epoch), "step": .int(progress.globalStep),
                    "learning_rate": .double(progress.learningRate),
                ])
        }
    }

    /// Stops a run whose loss or parameters stopped being finite: nothing is saved over the
    /// files, the broken parameters are not published, and the user is told what is intact.
    func diverged(_ t: Trainer, epoch: Int, step: Int) {
        let rate = progress.learningRate
        t.onEvent(
            .message(Divergence.stoppedMessage(epoch: epoch, step: step, learningRate: rate, saved: saved)))
        logEvent(t, "diverged", epoch: epoch)
        run?.release()
        t.onEvent(.state(.diverged))
    }

    /// Saves `last`, publishes the final parameters and gives up the run directory.
    func finish(_ t: Trainer, state: TrainerState) {
        guard parameters.allSatisfy(\.isFinite) else {
            return diverged(t, epoch: progress.epochsCompleted + 1, step: progress.stepInEpoch)
        }
        let saved = save(t, reason: "last")
        run?.release()
        t.publish(makeSnapshot())
        t.onEvent(.state(saved ? state : .failed))
    }
}
extension DispatchTime {
    /// Seconds from this instant to now.
    var secondsUntilNow: Double {
        Double(DispatchTime.now().uptimeNanoseconds - uptimeNanoseconds) / 1e9
    }
}
