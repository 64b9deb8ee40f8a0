import SentreeCore

/// Seconds a message that is not an error stays in the status bar.
public let messageLifetime = 5.0

extension DashboardState {
    /// Moves the dashboard's clock to `seconds`; a message that is not an error goes once it
    /// is `messageLifetime` old. Errors stay until the next key: a failed save or a refused
    /// input must not vanish before the user has read it. Returns whether a message went
    /// (the only change a tick makes to what is shown).
    @discardableResult
    public mutating func tick(now seconds: Double) -> Bool {
        clock = seconds
        if message != nil, !messageIsError, clock - messageSince >= messageLifetime {
            message = nil
            return true
        }
        return false
    }
}

extension DashboardState {
    /// The line printed once the terminal is restored, worded as headless ends; nil before
    /// any epoch of this session finished.
    public var exitSummary: String? {
        guard let best = bestPosition, let e = epochs.last(where: { $0.at == best }) else { return nil }
        return runSummary(
            epoch: e.epoch, fineRoot: e.fineRoot, fineAll: e.fineAll, binaryRoot: e.binaryRoot,
            run: RunFiles(path: setup.runDirectory), task: setup.config.sentimentTask, position: e.position)
    }
}

/// Epochs `x` adds to the run.
public let extensionEpochs = 10

extension DashboardState {
    /// Training keys once training is over, which would otherwise do nothing without a word.
    ///
    /// A finished run (DONE) is held open by its trainer: `e`, `s` and the learning-rate keys
    /// still act (on the final parameters, and for epochs `x` adds), and pause says how to go
    /// on. A run that stopped, failed or diverged has ended for good: every training key says
    /// so. Nil for other keys and while training, which take the usual way.
    mutating func handleTrainingKeyAfterTheEnd(_ key: Key) -> [Command]? {
        guard trainer.isFinal, compare?.viewOnly != true else { return nil }
        let training: [Key] = [
            .char(" "), .char("p"), .char("+"), .char("="), .char("-"), .char("_"),
            .char("l"), .char("e"), .char("s"), .char("x"),
        ]
        guard training.contains(key) else { return nil }
        if trainer == .done {
            guard key == .char(" ") || key == .char("p") else { return nil }
            message = "training finished: x adds \(extensionEpochs) epochs to the run"
        } else {
            message = "training has ended (\(trainer.rawValue)); sentree train --resume continues the run"
        }
        messageIsError = true
        return []
    }
}
