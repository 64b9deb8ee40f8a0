import Foundation
import SentreeCore

/// The checkpoints of `--checkpoint A --checkpoint B …`, each with the file it was read from,
/// refused together when their distributions cannot be averaged.
func loadMembers(_ paths: [String]) throws -> [(checkpoint: Checkpoint, file: String)] {
    guard !paths.isEmpty else { throw CLIError("give --checkpoint FILE-OR-RUN (repeat it for an ensemble)") }
    let members = try paths.map { try loadCheckpoint($0) }.map { (checkpoint: $0.0, file: $0.1) }
    let first = members[0]
    // Kinds, vocabularies and widths may differ: only the class distributions are averaged.
    for m in members.dropFirst() where m.checkpoint.model.classes != first.checkpoint.model.classes {
        throw CLIError(
            "cannot average \(first.file) (\(first.checkpoint.model.classes) classes) with \(m.file) "
                + "(\(m.checkpoint.model.classes) classes): an ensemble's members need the same classes")
    }
    return members
}

/// "rntn d=25, epoch 7": what a checkpoint is, for headers. `file` is where it was read.
func checkpointSummary(_ c: Checkpoint, file: String) -> String {
    "\(c.model.kind.rawValue) d=\(c.model.dim), epoch \(c.progress.place(evaluations: runEvaluations(c, file: file)))"
        + (c.config.taskDescription.isEmpty ? "" : ", \(c.config.taskDescription)")
}

/// The evaluations inside epochs (`--dev-every`) of the run a checkpoint lies in, from its
/// metrics log; empty for other runs, and when the log is missing or unreadable (a copied file).
func runEvaluations(_ c: Checkpoint, file: String) -> [EvaluationRecord] {
    guard c.config.devEvery != nil,
        let data = FileManager.default.contents(atPath: RunFiles(path: parentPath(file)).metricsPath)
    else { return [] }
    return (try? MetricsLog.readEntries(data: data, source: file).evaluations) ?? []
}
