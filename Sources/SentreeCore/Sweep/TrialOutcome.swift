import Foundation

/// How a trial's last attempt ended, as `outcomes/NNNN.json` records it. A trial with no
/// outcome has not run, or was interrupted (its run then holds the checkpoint to resume).
public struct TrialOutcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case done, failed }

    public let status: Status
    /// The `train` process's exit status, or `128 + signal` when a signal ended it.
    public let exitStatus: Int32
    /// The end of the process's stderr, when it failed.
    public let error: String?
    /// Wall-clock seconds of the attempt.
    public let seconds: Double
    /// When it ended (ISO 8601, UTC).
    public let finished: String

    public init(status: Status, exitStatus: Int32, error: String?, seconds: Double, finished: Date = Date()) {
        self.status = status
        self.exitStatus = exitStatus
        self.error = error
        self.seconds = seconds
        self.finished = ISO8601DateFormatter().string(from: finished)
    }

    enum CodingKeys: String, CodingKey {
        case status, error, seconds, finished
        case exitStatus = "exit_status"
    }
}
