import Foundation

extension EpochRecord {
    /// The longest an epoch may have taken, in seconds (about 31 years). Readers add epochs'
    /// times and turn them into whole seconds, which a value like 1e308 made overflow.
    public static let maximumSeconds = 1e9

    /// Why these values cannot be an epoch a run logged, naming the key, or `nil`.
    ///
    /// The log comes from outside: `view` scales curves and axes from it, and an epoch of
    /// 2⁶² or seconds of 1e308 used to trap there. Losses may be large (a diverging run) but
    /// are finite and not negative; accuracies are fractions; the epoch is in `--epochs`'s
    /// range.
    public var problem: String? {
        let epochs = TrainingConfig.maximum(.epochs)
        if !(1 ... epochs).contains(epoch) { return "'epoch' must be from 1 to \(epochs) (got \(epoch))" }
        if !(trainLoss >= 0 && trainLoss.isFinite) {
            return "'train_loss' must be zero or a positive number (got \(trainLoss))"
        }
        let fractions: [(String, Double)] = [
            ("fine_all", fineAll), ("fine_root", fineRoot), ("binary_root", binaryRoot),
            ("binary_all", binaryAll),
        ]
        for (key, value) in fractions where !(0 ... 1).contains(value) {
            return "'\(key)' must be from 0 to 1 (got \(value))"
        }
        if !(0 ... Self.maximumSeconds).contains(seconds) {
            return "'seconds' must be from 0 to \(Int(Self.maximumSeconds)) (got \(seconds))"
        }
        if !(treesPerSecond >= 0 && treesPerSecond.isFinite) {
            return "'trees_per_second' must be zero or a positive number (got \(treesPerSecond))"
        }
        if let lr = TrainingConfig.problem(.learningRate, learningRate) {
            return "'learning_rate' \(lr.requirement) (got \(learningRate))"
        }
        return nil
    }
}
