import Foundation

/// What `predict --timing` reports: inputs answered per second of the whole command (reading,
/// tokenizing, parsing, predicting, printing; loading the checkpoint and parser included),
/// how long loading took, and the thread time spent parsing.
struct PredictTiming {
    var inputs = 0
    var sentences = 0
    /// Summed over the threads: with two, up to twice the wall time.
    var parsing = Duration.zero

    /// `threads` work the whole command; `parsed`: whether a parser (not the fixed rule) made
    /// the sentences' trees.
    func report(total: Duration, loading: Duration, threads: Int, parsed: Bool) -> String {
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let all = seconds(total), parse = seconds(parsing)
        let on = "on \(threads) thread\(threads == 1 ? "" : "s")"
        return "timing: \(inputs) inputs (\(sentences) plain sentences \(parsed ? "parsed" : "binarized")) "
            + on
            + String(
                format: " in %.3f s: %.0f inputs/s; loading %.3f s; parsing %.3f s of thread time "
                    + "(%.0f%% of the threads' time)",
                all, Double(inputs) / max(all, 1e-9), seconds(loading), parse,
                100 * parse / max(all * Double(threads), 1e-9))
    }
}
