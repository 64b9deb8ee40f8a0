import Foundation

/// A dev evaluation inside an epoch, from the run's `devEvery`.
public struct DevEvaluation: Sendable {
    public var dev: EvaluationReport
    /// Where it fell, in epochs: 2.25 is a quarter into epoch 3.
    public var position: Double
    /// The learning rate the steps before it trained with.
    public var learningRate: Double
    /// Whether it set a new best dev fine root (and `best` was saved).
    public var isBest: Bool

    public init(dev: EvaluationReport, position: Double, learningRate: Double, isBest: Bool) {
        self.dev = dev; self.position = position; self.learningRate = learningRate; self.isBest = isBest
    }
}

/// The run's dev schedule: evaluations inside epochs (`devEvery`), the learning rate's cut
/// on a plateau (`lrPlateau`) and the early stop (`patience`). Every evaluation, at an
/// epoch's end or inside it, counts the same for the plateau and the patience.
extension TrainingLoop {
    /// Makes `report` the run's best if it beats every evaluation before (and this run's
    /// `best` on disk), saving `best`. `gain`: the score beat them; `isBest`: and `best` holds
    /// it now (a `best` that could not be written, disk full, is no best: the next
    /// evaluation that beats the file's score tries again).
    func takeBest(_ t: Trainer, _ report: EvaluationReport, epoch: Int) -> (gain: Bool, isBest: Bool) {
        // The task's own score picks `best` (binary root for `--task binary`).
        let score = config.sentimentTask.selectionScore(report.metrics)
        let gain = score > max(progress.bestFineRoot, bestOnDisk)
        guard gain else { return (false, false) }
        let before = progress
        progress.bestFineRoot = score
        progress.bestEpoch = epoch
        if config.devEvery != nil { progress.bestStep = progress.globalStep }
        guard save(t, reason: "best") else {
            (progress.bestFineRoot, progress.bestEpoch, progress.bestStep) =
                (before.bestFineRoot, before.bestEpoch, before.bestStep)
            return (true, false)
        }
        return (true, true)
    }

    /// Scores dev after in-epoch step `step` of `steps`, when `devEvery` says so; returns
    /// true when the patience ran out there.
    func evaluateInEpoch(_ t: Trainer, epoch: Int, step: Int, steps: Int) -> Bool {
        guard let every = config.devEvery,
            every.evaluates(afterStep: step, of: steps, globalStep: progress.globalStep)
        else { return false }
        let report = evaluate(t, epoch: epoch)
        let (gain, isBest) = takeBest(t, report, epoch: epoch)
        let position = Double(epoch - 1) + Double(step) / Double(steps)
        let m = report.metrics
        logging(t) {
            try $0.appendEvent(
                name: "evaluation",
                fields: [
                    "epoch": .int(epoch), "step": .int(progress.globalStep), "position": .double(position),
                    "fine_all": .double(m.fineAll), "fine_root": .double(m.fineRoot),
                    "binary_root": .double(m.binaryRoot), "binary_all": .double(m.binaryAll),
                    "learning_rate": .double(progress.learningRate), "best": .bool(isBest),
                ])
        }
        t.onEvent(
            .devEvaluation(
                DevEvaluation(
                    dev: report, position: position, learningRate: progress.learningRate, isBest: isBest)))
        return schedule(t, gain: gain, epoch: epoch)
    }

    /// What counting one evaluation did: the learning rate it cut (from, to), and whether the
    /// patience ran out.
    struct ScheduleStep {
        var cut: (from: Double, to: Double)? = nil
        var stop = false
    }

    /// Counts an evaluation for the plateau and the patience: cuts the learning rate after
    /// `lrPlateau` evaluations without a gain (and counts again from there), and returns true
    /// after `patience` of them, when training stops.
    func schedule(_ t: Trainer, gain: Bool, epoch: Int) -> Bool {
        let step = countEvaluation(gain: gain)
        announce(t, step, epoch: epoch)
        return step.stop
    }

    /// The counting half of `schedule`: changes only `progress`, so that an epoch's end can
    /// save `last` with the counts of its own evaluation before it reports anything.
    func countEvaluation(gain: Bool) -> ScheduleStep {
        guard config.countsEvaluationsWithoutGain else { return ScheduleStep() }
        var step = ScheduleStep()
        let without = gain ? 0 : (progress.evaluationsWithoutGain ?? 0) + 1
        progress.evaluationsWithoutGain = without
        progress.evaluationsSinceCut = gain ? 0 : (progress.evaluationsSinceCut ?? 0) + 1
        if let k = config.lrPlateau, let since = progress.evaluationsSinceCut, since >= k {
            let old = progress.learningRate
            progress.learningRate = old * (config.lrPlateauFactor ?? TrainingConfig.defaultPlateauFactor)
            progress.evaluationsSinceCut = 0
            step.cut = (old, progress.learningRate)
        }
        if let patience = config.patience, without >= patience { step.stop = true }
        return step
    }

    /// The reporting half of `schedule`: the log's events and the front end's notes.
    func announce(_ t: Trainer, _ step: ScheduleStep, epoch: Int) {
        if let (old, new) = step.cut, let k = config.lrPlateau {
            logging(t) {
                try $0.appendEvent(
                    name: "learning_rate",
                    fields: [
                        "epoch": .int(epoch), "step": .int(progress.globalStep),
                        "learning_rate": .double(new), "reason": .string("plateau"),
                    ])
            }
            t.onEvent(.learningRateChanged(new))
            t.onEvent(
                .note(
                    "no dev \(selectionName) gain in \(k) evaluation\(k == 1 ? "" : "s"): "
                        + "learning rate \(old) → \(new)"))
        }
        guard step.stop, let patience = config.patience else { return }
        logEvent(t, "early_stop", epoch: epoch)
        t.onEvent(.stoppedEarly(earlyStopMessage(patience: patience)))
    }

    /// Whether the run stopped early already (a resumed run that ran out of patience).
    var isOutOfPatience: Bool {
        guard let patience = config.patience else { return false }
        return (progress.evaluationsWithoutGain ?? 0) >= patience
    }

    /// Why training stopped, and where its best evaluation was.
    func earlyStopMessage(patience: Int) -> String {
        let at = Self.positionText(progress: progress, stepsPerEpoch: stepsPerEpoch)
        let best =
            progress.bestFineRoot < 0
            ? "no evaluation was saved as best"
            : "best was dev \(selectionName) \(percent(progress.bestFineRoot)) at \(bestPositionText)"
        return "stopped early at \(at): no dev \(selectionName) gain in \(patience) evaluation"
            + "\(patience == 1 ? "" : "s") (patience \(patience)); \(best)"
    }

    /// The score that picks `best` and counts as a gain, as messages name it.
    var selectionName: String { config.sentimentTask.selectionName }

    var stepsPerEpoch: Int { (train.count + config.batchSize - 1) / config.batchSize }

    /// `epoch 3` for the end of epoch 3, `epoch 2.25 (step 90)` inside one.
    var bestPositionText: String {
        guard let step = progress.bestStep else { return "epoch \(progress.bestEpoch)" }
        let within = step - (progress.bestEpoch - 1) * stepsPerEpoch
        guard within < stepsPerEpoch else { return "epoch \(progress.bestEpoch)" }
        return String(
            format: "epoch %.2f (step %d)",
            Double(progress.bestEpoch - 1) + Double(within) / Double(stepsPerEpoch), step)
    }

    static func positionText(progress p: TrainingProgress, stepsPerEpoch: Int) -> String {
        guard p.stepInEpoch > 0 else { return "the end of epoch \(p.epochsCompleted)" }
        let position = Double(p.epochsCompleted) + Double(p.stepInEpoch) / Double(stepsPerEpoch)
        return String(format: "epoch %.2f (step %d)", position, p.globalStep)
    }

    /// The word vectors' rate now: their own starting rate, moved in proportion with the
    /// learning rate; `nil` without a word optimizer.
    var wordLearningRate: Double? {
        guard config.wordOptimizer != nil else { return nil }
        // The ratio is exactly 1 until the rate changes, so the starting rate is exact too.
        return (config.wordLearningRate ?? config.learningRate)
            * (progress.learningRate / config.learningRate)
    }
}
