import Foundation
@testable import SentreeCore

/// An epoch line of a metrics log, with fine root `root` (and `binary` binary root).
func loggedEpoch(_ e: Int, root: Double, binary: Double = 0.8) -> EpochRecord {
    EpochRecord(
        epoch: e, trainLoss: 1.0 / Double(e), fineAll: 0.7, fineRoot: root, binaryRoot: binary,
        binaryAll: 0.85, seconds: 2, treesPerSecond: 1000, learningRate: 0.02)
}

/// An `evaluation` event with the fields `TrainingLoop.evaluateInEpoch` writes.
func appendEvaluation(
    _ log: MetricsLog, epoch: Int, step: Int, position: Double, root: Double, binary: Double = 0.8,
    best: Bool = false
) throws {
    try log.appendEvent(
        name: "evaluation",
        fields: [
            "epoch": .int(epoch), "step": .int(step), "position": .double(position),
            "fine_all": .double(0.71), "fine_root": .double(root), "binary_root": .double(binary),
            "binary_all": .double(0.86), "learning_rate": .double(0.02), "best": .bool(best),
        ])
}
