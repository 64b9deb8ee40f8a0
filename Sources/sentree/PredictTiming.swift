import Foundation

/// What `predict --timing` reports: inputs answered per second of the whole command (reading,
/// tokenizing, parsing, predicting, printing; loading the checkpoint and parser included),
/// and the part of it spent parsing.
struct PredictTiming {
    var inputs = 0
    var sentences = 0
    var parsing = Duration.zero

    func report(total: Duration, threads: Int?) -> String {
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let all = seconds(total), parse = seconds(parsing)
        return "timing: \(inputs) inputs (\(sentences) plain sentences parsed"
            + (threads.map { " on \($0) thread\($0 == 1 ? "" : "s")" } ?? "") + ") in "
            + String(
                format: "%.3f s: %.0f inputs/s; parsing %.3f s (%.0f%%)", all,
                Double(inputs) / max(all, 1e-9), parse, 100 * parse / max(all, 1e-9))
    }
}
