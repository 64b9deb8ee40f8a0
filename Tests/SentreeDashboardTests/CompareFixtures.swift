import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// Runs for the comparison tests: different models and settings, with made-up but smooth
/// curves (deterministic, so renders can be compared with stored snapshots).
extension Fixture {
    static let runNames = ["rnn-base", "rnn2-deep", "rntn-tensor", "treelstm-glove", "rnn-lr-0.05"]

    static func comparedRun(_ k: Int, epochs: Int) -> ComparedRun {
        var config = TrainingConfig()
        config.model = [.rnn, .rnn2, .rntn, .treelstm, .rnn][k % 5]
        config.dim = [30, 30, 25, 150, 30][k % 5]
        config.inputDim = k % 5 == 3 ? 50 : nil
        config.learningRate = [0.02, 0.02, 0.01, 0.02, 0.05][k % 5]
        config.l2 = k % 5 == 2 ? 1e-4 : 1e-3
        config.seed = UInt64(1 + k)
        if k % 5 == 2 { config.dropout = 0.5; config.wordDropout = 1 }
        config.epochs = 10
        let records = (1 ... max(1, epochs)).prefix(epochs).map { e -> EpochRecord in
            let t = Double(e), speed = 2 + Double(k)
            let rise = 1 - exp(-t / speed), overfit = max(0, t - 5 - Double(k)) * 0.004
            return EpochRecord(
                epoch: e, trainLoss: 0.3 + 1.1 / (1 + t * (1 + 0.4 * Double(k))),
                fineAll: 0.70 + 0.1 * rise - overfit,
                fineRoot: 0.30 + (0.14 + 0.01 * Double(k)) * rise - overfit,
                binaryRoot: 0.60 + 0.22 * rise - overfit, binaryAll: 0.70 + 0.16 * rise - overfit,
                seconds: 0.5 * Double(1 + k), treesPerSecond: 1000, learningRate: config.learningRate)
        }
        var run = ComparedRun(
            name: runNames[k % 5], path: "runs/" + runNames[k % 5], config: config, epochs: records)
        if k % 5 == 3 {
            run.embeddings = EmbeddingCoverage(
                file: "/data/glove.6B.50d.txt", dimension: 50, wordsFound: 923,
                words: 1000, tokensFound: 99, tokens: 100)
        }
        // Root predictions for the 4 dev trees (gold 3, 1, 4, 2): run k gets tree t wrong
        // when (t + k) is odd.
        let gold: [UInt8] = [3, 1, 4, 2]
        run.outcomes = gold.enumerated().map { t, g in
            TreeOutcome(
                tree: t, goldRoot: g, predictedRoot: (t + k) % 2 == 1 ? (g + 1) % 5 : g, loss: Float(t + k))
        }
        run.checkpointNote = "best, epoch \(run.best?.epoch ?? 0)"
        return run
    }

    /// `sentree view` of `runs` runs with 8, 7, 6, … epochs.
    static func viewState(runs: Int) throws -> DashboardState {
        var s = DashboardState(setup: try setup())
        s.trainer = .done
        s.compare = CompareState(runs: (0 ..< runs).map { comparedRun($0, epochs: 8 - $0) }, viewOnly: true)
        s.focus = .runs
        s.showPickedRun()
        return s
    }

    /// `train --compare` with `runs` earlier runs beside the fixture's live run.
    static func compareTrainState(runs: Int) throws -> DashboardState {
        var s = try state()
        s.compare = CompareState(runs: (0 ..< runs).map { comparedRun($0 + 1, epochs: 6) }, viewOnly: false)
        return s
    }
}

/// Compares `text` with `Snapshots/<name>.txt` beside this file. With
/// `SENTREE_RECORD_SNAPSHOTS=1` it writes the file instead (then review the diff in git).
func expectSnapshot(
    _ text: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["SENTREE_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data((text + "\n").utf8).write(to: url)
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record(
            "no snapshot \(url.path); record it with SENTREE_RECORD_SNAPSHOTS=1",
            sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self).split(
        separator: "\n", omittingEmptySubsequences: false)
    let actual = (text + "\n").split(separator: "\n", omittingEmptySubsequences: false)
    guard expected != actual else { return }
    let row = Array(zip(expected, actual)).firstIndex { $0 != $1 } ?? min(expected.count, actual.count)
    Issue.record(
        """
        \(name) differs from its snapshot at line \(row + 1):
        expected: \(row < expected.count ? expected[row] : "(end)")
        actual:   \(row < actual.count ? actual[row] : "(end)")
        whole screen:
        \(text)
        """, sourceLocation: sourceLocation)
}
