import Foundation
import Testing

/// The README's first command, as a newcomer runs it: `sentree train --model rntn --epochs 60`
/// on SST, the model's own settings otherwise. It must last long enough to be steered:
/// pausing and changing the learning rate take effect before the run ends (the default rnn
/// used to finish its 20 epochs in about 2 s, before a person could press a key).
@Suite struct FirstRunEndToEndTests {
    static var sst: String? {
        [ProcessInfo.processInfo.environment["SST_DIR"], "../shared/data/sst", "/work/shared/data/sst"]
            .compactMap { $0 }
            .first { FileManager.default.fileExists(atPath: $0 + "/train.txt") }
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil && sst != nil, "needs tmux and SST"))
    func theFirstCommandCanBePausedAndItsRateChangedBeforeItEnds() throws {
        let tmux = TmuxSession()
        let binary = try #require(sentreeBinary)
        let data = try #require(Self.sst)
        let run = try temporaryDirectory("sentree-first-run") + "/run"
        let command =
            "\(binary) train --model rntn --epochs 60 --data \(data) --out \(run); echo EXIT=$? > \(run).exit; sleep 60"
        try tmux.run(["new-session", "-d", "-x", "120", "-y", "40", "-s", "s", command])
        _ = try tmux.waitFor(60, "the first epoch") { $0.contains("RUNNING") && $0.contains("epoch 2/60") }
        try tmux.keys("space")
        let paused = try tmux.waitFor(20, "PAUSED") { $0.contains("PAUSED") }
        #expect(paused.contains("PAUSED") && !paused.contains("DONE"))
        try tmux.keys("+")
        let faster = try tmux.waitFor(20, "the raised rate") { $0.contains("lr 0.012") }
        #expect(faster.contains("lr 0.012") && !faster.contains("DONE"))
        try tmux.keys("space")
        _ = try tmux.waitFor(20, "running again") { $0.contains("RUNNING") }
        try tmux.keys("q")
        _ = try? tmux.waitFor(5, "the quit question") { $0.contains("quit") }
        try tmux.keys("y")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: run + ".exit") { usleep(100_000) }
        let exit = (try? String(contentsOfFile: run + ".exit", encoding: .utf8)) ?? ""
        #expect(exit.contains("EXIT=0"), "\(exit)")
        // The change was logged as the user's, while the run still had epochs to go.
        let log = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)
        #expect(log.contains("\"learning_rate\":0.012"))
        #expect(!log.contains("\"epoch\":60,"))
    }
}
