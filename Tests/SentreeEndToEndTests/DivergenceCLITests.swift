import Foundation
import Testing
import SentreeCore

/// `sentree train` at a learning rate that makes the numbers overflow: a clear message and
/// exit 1, no broken checkpoint, and `--resume --lr` starts the run over at the new rate.
@Suite struct DivergenceCLITests {
    @Test func anOverflowingRunStopsWithAClearMessageAndResumesAtALowerRate() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        let r = try sentree(
            [
                "train", "--out", run, "--data", data, "--epochs", "2", "--optimizer", "sgd",
                "--lr", "1e12",
            ] + trainOptions)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("warning: training diverged at epoch 1, step "), "\(r.stderr)")
        #expect(r.stderr.contains("nothing had been saved yet, so start a new run with a lower --lr."))
        #expect(r.stderr.contains("error: stopped: training diverged (see above)"), "\(r.stderr)")
        #expect(!r.stdout.contains("epoch   1/2"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: run + "/last.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: run + "/best.safetensors"))
        let metrics = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("\"event\":\"diverged\""), "\(metrics)")

        let again = try sentree(["train", "--headless", "--resume", run, "--lr", "0.01"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            again.stdout.contains("sgd lr 0.01  ") && again.stdout.contains("epoch   2/2"),
            "\(again.stdout)")
    }
}
