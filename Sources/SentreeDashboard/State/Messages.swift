import SentreeCore

/// Seconds a message that is not an error stays in the status bar.
public let messageLifetime = 5.0

extension DashboardState {
    /// Moves the dashboard's clock to `seconds`; a message that is not an error goes once it
    /// is `messageLifetime` old. Errors stay until the next key: a failed save or a refused
    /// input must not vanish before the user has read it.
    public mutating func tick(now seconds: Double) {
        clock = seconds
        if message != nil, !messageIsError, clock - messageSince >= messageLifetime {
            message = nil
        }
    }
}

extension DashboardState {
    /// The line printed once the terminal is restored, worded as headless ends; nil before
    /// any epoch of this session finished.
    public var exitSummary: String? {
        guard let best = bestEpoch, let e = epochs.last(where: { $0.epoch == best }) else { return nil }
        return runSummary(epoch: best, fineRoot: e.fineRoot, fineAll: e.fineAll, binaryRoot: e.binaryRoot,
                          run: RunFiles(path: setup.runDirectory))
    }
}
