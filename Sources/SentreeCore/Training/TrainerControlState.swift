/// Commands waiting for the trainer's next minibatch boundary.
struct PendingCommands: Sendable {
    var paused = false
    var stopRequested = false
    var evaluateRequested = false
    var saveRequested = false
    var learningRate: Double? = nil
    /// Epochs to add to the run (`extend(by:)`).
    var extraEpochs = 0
    /// Whether the trainer, every epoch done, waits for more (`holdWhenDone()`).
    var holdWhenDone = false
    /// Set by the trainer: whether it is blocked in a pause right now.
    var sleeping = false
}
