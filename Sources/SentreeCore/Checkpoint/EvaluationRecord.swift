import Foundation

/// The four dev accuracies every logged evaluation has, at an epoch's end or inside one.
public protocol DevFigures {
    var fineAll: Double { get }
    var fineRoot: Double { get }
    var binaryRoot: Double { get }
    var binaryAll: Double { get }
}

extension EpochRecord: DevFigures {}

/// A dev evaluation inside an epoch (`--dev-every`), as `metrics.jsonl` logs it: an
/// `"evaluation"` event (see `TrainingLoop.evaluateInEpoch`).
public struct EvaluationRecord: Codable, Sendable, Equatable, DevFigures {
    /// The epoch it fell in, unfinished at the time: 9 for `position` 8.25.
    public var epoch: Int
    /// The global step it followed.
    public var step: Int
    /// Where it fell, in epochs: 8.25 is a quarter into epoch 9.
    public var position: Double
    public var fineAll: Double
    public var fineRoot: Double
    public var binaryRoot: Double
    public var binaryAll: Double
    public var learningRate: Double
    /// Whether it was saved as `best`.
    public var best: Bool

    enum CodingKeys: String, CodingKey {
        case epoch, step, position, best
        case fineAll = "fine_all", fineRoot = "fine_root", binaryRoot = "binary_root"
        case binaryAll = "binary_all", learningRate = "learning_rate"
    }

    public init(
        epoch: Int, step: Int, position: Double, fineAll: Double, fineRoot: Double, binaryRoot: Double,
        binaryAll: Double, learningRate: Double, best: Bool
    ) {
        self.epoch = epoch; self.step = step; self.position = position; self.fineAll = fineAll
        self.fineRoot = fineRoot; self.binaryRoot = binaryRoot; self.binaryAll = binaryAll
        self.learningRate = learningRate; self.best = best
    }

    /// Why these values cannot be an evaluation a run logged, naming the key, or `nil`.
    /// Readers place it on an axis of epochs, so its position must lie inside its epoch.
    public var problem: String? {
        let epochs = TrainingConfig.maximum(.epochs)
        if !(1 ... epochs).contains(epoch) { return "'epoch' must be from 1 to \(epochs) (got \(epoch))" }
        if !(0 ... TrainingProgress.maximumGlobalStep).contains(step) {
            return "'step' must be from 0 to \(TrainingProgress.maximumGlobalStep) (got \(step))"
        }
        if !(Double(epoch - 1) ..< Double(epoch)).contains(position) {
            return
                "'position' must be inside epoch \(epoch), from \(epoch - 1) to below \(epoch) (got \(position))"
        }
        let fractions: [(String, Double)] = [
            ("fine_all", fineAll), ("fine_root", fineRoot), ("binary_root", binaryRoot),
            ("binary_all", binaryAll),
        ]
        for (key, value) in fractions where !(0 ... 1).contains(value) {
            return "'\(key)' must be from 0 to 1 (got \(value))"
        }
        if let lr = TrainingConfig.problem(.learningRate, learningRate) {
            return "'learning_rate' \(lr.requirement) (got \(learningRate))"
        }
        return nil
    }
}

/// Where an evaluation fell as `train`'s closing line writes it: `8` for the end of epoch
/// 8, `8.25` a quarter into epoch 9.
public func evaluationPlace(epoch: Int, position: Double?) -> String {
    position.map { String(format: "%.2f", $0) } ?? "\(epoch)"
}

/// A run's best dev evaluation, the one `best.safetensors` holds: an epoch's end, or with
/// `--dev-every` possibly one inside an epoch.
public struct BestEvaluation: Sendable, Equatable, DevFigures {
    /// The epoch that ended there, or that the evaluation fell in.
    public var epoch: Int
    /// Where an evaluation inside an epoch fell, in epochs; `nil` at the end of `epoch`.
    public var position: Double?
    public var fineAll: Double
    public var fineRoot: Double
    public var binaryRoot: Double
    public var binaryAll: Double
    /// The epoch's mean train loss; `nil` inside an epoch, which has none.
    public var trainLoss: Double?

    public init(_ e: EpochRecord) {
        (epoch, position, trainLoss) = (e.epoch, nil, e.trainLoss)
        (fineAll, fineRoot, binaryRoot, binaryAll) = (e.fineAll, e.fineRoot, e.binaryRoot, e.binaryAll)
    }

    public init(_ e: EvaluationRecord) {
        (epoch, position, trainLoss) = (e.epoch, e.position, nil)
        (fineAll, fineRoot, binaryRoot, binaryAll) = (e.fineAll, e.fineRoot, e.binaryRoot, e.binaryAll)
    }

    /// Its place on an axis of epochs.
    public var at: Double { position ?? Double(epoch) }

    /// `8` or `8.25`, as `train` wrote it.
    public var place: String { evaluationPlace(epoch: epoch, position: position) }
}

/// `items` in the order they happened, given each one's place on an axis of epochs (`at`):
/// a stable sort, since epoch ends and the evaluations inside epochs come as two lists, each
/// in order, and an inner evaluation lies strictly before its epoch's end.
public func inTimeOrder<T>(_ items: [T], at: (T) -> Double) -> [T] {
    items.enumerated().sorted { (at($0.element), $0.offset) < (at($1.element), $1.offset) }.map(\.element)
}

extension SentimentTask {
    /// The best of a run's logged evaluations by `selectionScore`, as the trainer kept
    /// `best`: in the order they happened (an epoch's inner evaluations before its end), the
    /// first of equals.
    public func best(epochs: [EpochRecord], evaluations: [EvaluationRecord]) -> BestEvaluation? {
        let all = epochs.map(BestEvaluation.init) + evaluations.map(BestEvaluation.init)
        return inTimeOrder(all, at: \.at).reduce(nil) { best, e in
            best.map { selectionScore(e) > selectionScore($0) ? e : $0 } ?? e
        }
    }
}

extension TrainingProgress {
    /// The evaluation inside an epoch a checkpoint with this progress was saved at (found in
    /// the run's `evaluations` by its step); `nil` for one saved at an epoch's end, or
    /// inside an epoch elsewhere (a stop).
    public func savedEvaluation(in evaluations: [EvaluationRecord]) -> EvaluationRecord? {
        stepInEpoch > 0 ? evaluations.last { $0.step == globalStep } : nil
    }

    /// Where a checkpoint with this progress stands, as `train` writes places: `8.25` for one
    /// saved at the evaluation a quarter into epoch 9 (`savedEvaluation`), else the epochs it
    /// completed.
    public func place(evaluations: [EvaluationRecord]) -> String {
        savedEvaluation(in: evaluations).map { evaluationPlace(epoch: $0.epoch, position: $0.position) }
            ?? "\(epochsCompleted)"
    }
}
