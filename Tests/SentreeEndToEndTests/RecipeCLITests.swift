import Foundation
import Testing
import SentreeCore

/// `sentree train --leaf-dropout P --state-dropout P --classifier-hidden H`: validation, the
/// header, the run's record, `--resume` (which refuses a change), and `gradcheck`.
@Suite struct RecipeCLITests {
    @Test(arguments: [
        ("--leaf-dropout", "1", "--leaf-dropout must be at least 0 and below 1 (got 1.0)"),
        ("--state-dropout", "nan", "--state-dropout must be at least 0 and below 1 (got nan)"),
        ("--classifier-hidden", "70000", "--classifier-hidden must be from 0 (no hidden layer) to 65535"),
    ])
    func anImpossibleValueIsAClearError(flag: String, value: String, message: String) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = try sentree(["train", "--data", data, "--out", data + "/run", flag, value] + trainOptions)
        #expect(r.status == 1 && r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/run"))
        let check = try sentree(["gradcheck", flag, value])
        #expect(check.status == 1 && check.stderr.contains(flag + " must be"), "\(check.stderr)")
    }

    @Test func theRunRecordsTheOptionsAndResumeRefusesAChange() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let options =
            trainOptions + [
                "--data", data, "--model", "treelstm", "--input-dim", "6", "--leaf-dropout", "0.25",
                "--state-dropout", "0.125", "--classifier-hidden", "5",
            ]
        let straight = try sentree(["train", "--out", data + "/straight", "--epochs", "3"] + options)
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stdout.contains("treelstm d=8 x=6 mlp=5"), "\(straight.stdout)")
        #expect(straight.stdout.contains("leaf dropout 0.25  state dropout 0.125"), "\(straight.stdout)")

        let run = data + "/run"
        let first = try sentree(["train", "--out", run, "--epochs", "2"] + options)
        #expect(first.status == 0, "\(first.stderr)")
        let stored = try storedConfig(run)
        #expect(stored.leafDropout == 0.25 && stored.stateDropout == 0.125 && stored.classifierHidden == 5)
        let checkpoint = try Checkpoint.read(from: run + "/last.safetensors")
        #expect(checkpoint.config == stored)
        #expect(checkpoint.model.classifierHidden == 5)

        for (flag, value, stored) in [
            ("--leaf-dropout", "0.5", "0.25"), ("--state-dropout", "0.5", "0.125"),
            ("--classifier-hidden", "0", "5"),
        ] {
            let changed = try sentree(["train", "--headless", "--resume", run, "--epochs", "3", flag, value])
            #expect(changed.status == 1)
            #expect(changed.stderr.contains("\(flag) \(value) (the run has \(stored))"), "\(changed.stderr)")
        }
        let resumed = try sentree([
            "train", "--headless", "--resume", run, "--epochs", "3", "--leaf-dropout", "0.25",
            "--classifier-hidden", "5",
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try Checkpoint.read(from: run + "/last.safetensors")
        let b = try Checkpoint.read(from: data + "/straight/last.safetensors")
        #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))
        // `eval` reads the hidden layer from the checkpoint.
        let eval = try sentree(["eval", "--checkpoint", run + "/last.safetensors", "--data", data])
        #expect(eval.status == 0, "\(eval.stderr)")

        // A run without the options is not refused their "off" values.
        let plain = try sentree(
            ["train", "--out", data + "/plain", "--epochs", "1"] + trainOptions + ["--data", data])
        #expect(plain.status == 0 && !plain.stdout.contains("leaf dropout"), "\(plain.stdout)")
        let zero = try sentree([
            "train", "--headless", "--resume", data + "/plain", "--epochs", "2", "--leaf-dropout", "0",
            "--state-dropout", "0", "--classifier-hidden", "0",
        ])
        #expect(zero.status == 0, "\(zero.stderr)")
    }

    @Test func gradcheckTakesTheOptions() throws {
        let r = try sentree([
            "gradcheck", "--model", "treelstm", "--leaf-dropout", "0.3", "--state-dropout", "0.3",
            "--classifier-hidden", "4",
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(
            r.stdout.contains("leaf dropout 0.3 (fixed mask), state dropout 0.3 (fixed mask)"), "\(r.stdout)")
        #expect(r.stdout.contains("Wc ") && r.stdout.contains("PASS"), "\(r.stdout)")
    }
}
