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

    /// The one-shot commands as they stand, cleared so each is served once.
    mutating func take() -> PendingCommands {
        let copy = self
        evaluateRequested = false
        saveRequested = false
        learningRate = nil
        extraEpochs = 0
        return copy
    }

    /// Whether any command waits to be served.
    var hasWork: Bool {
        stopRequested || evaluateRequested || saveRequested || learningRate != nil || extraEpochs != 0
    }
}
