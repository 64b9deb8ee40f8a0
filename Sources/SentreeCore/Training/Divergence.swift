/// Signs that a run's learning rate is too high, told in words a user can act on.
///
/// Two signs: an epoch whose training loss jumps well above the epoch before (the start of
/// the collapse the RNTN shows above lr 0.01; training goes on, with a warning), and a loss
/// or parameters that are no longer finite numbers (training stops, and the broken
/// parameters are never saved over the good files).
public enum Divergence {
    /// An epoch's training loss above this multiple of the epoch before reads as a collapse.
    /// Over the RNTN sweeps of RESULTS.md, epochs of runs that went on training rose by at
    /// most 1.21×; collapsing runs jumped by 1.48–1.88× in one epoch.
    public static let jumpRatio = 1.3

    /// Where a run's files stand: the point `last` holds (epochs completed, and minibatches
    /// into the next; nil: not saved yet) and the epoch `best` holds (0: none yet).
    public struct SavedFiles: Sendable, Equatable {
        public var lastEpochsCompleted: Int?
        public var lastStepInEpoch = 0
        public var bestEpoch = 0

        public init(lastEpochsCompleted: Int?, lastStepInEpoch: Int = 0, bestEpoch: Int = 0) {
            self.lastEpochsCompleted = lastEpochsCompleted
            self.lastStepInEpoch = lastStepInEpoch
            self.bestEpoch = bestEpoch
        }
    }

    /// A warning when `current`'s training loss jumped from `previous`'s, else nil.
    public static func lossJumpWarning(
        previous: EpochRecord?, current: EpochRecord,
        bestEpoch: Int
    ) -> String? {
        guard let previous, previous.trainLoss > 0, current.trainLoss > jumpRatio * previous.trainLoss else {
            return nil
        }
        let kept = bestEpoch > 0 ? " (best.safetensors keeps epoch \(bestEpoch))" : ""
        let rise = String(
            format: "training loss rose from %.4f to %.4f", previous.trainLoss, current.trainLoss)
        return "epoch \(current.epoch): \(rise); the run may be diverging, a lower --lr usually helps\(kept)"
    }

    /// What the user reads when training stopped because the loss or the parameters stopped
    /// being finite numbers at `epoch` (1-based) and minibatch `step` of it.
    public static func stoppedMessage(
        epoch: Int, step: Int, learningRate: Double,
        saved: SavedFiles
    ) -> String {
        let head =
            "training diverged at epoch \(epoch), step \(step) (lr \(learningRate)): the loss or the "
            + "parameters are no longer finite numbers. Stopped without saving them; "
        guard let epochs = saved.lastEpochsCompleted else {
            return head + "nothing had been saved yet, so start a new run with a lower --lr."
        }
        let into = saved.lastStepInEpoch
        let point = into == 0 ? "end of epoch \(epochs)" : "epoch \(epochs + 1), step \(into)"
        let files =
            "last.safetensors (\(point))"
            + (saved.bestEpoch > 0 ? " and best.safetensors (epoch \(saved.bestEpoch)) are" : " is")
        return head + files + " intact: --resume the run with a lower --lr."
    }
}
