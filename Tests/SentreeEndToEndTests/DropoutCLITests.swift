import Foundation
import Testing
import SentreeCore

/// `sentree train --dropout P`: validation, the run's record of it, and `--resume`.
@Suite struct DropoutCLITests {
    @Test(arguments: ["1.5", "1.0", "nan"])
    func aRateOutsideZeroToOneIsAClearError(_ rate: String) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = try sentree(
            ["train", "--data", data, "--out", data + "/run", "--dropout", rate] + trainOptions)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--dropout must be at least 0 and below 1 (got \(rate))"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/run"))
        let check = try sentree(["gradcheck", "--dropout", rate])
        #expect(check.status == 1 && check.stderr.contains("--dropout must be"), "\(check.stderr)")
    }

    /// The RNTN trains with its dev-chosen dropouts (classifier, word, leaf) unless told otherwise.
    @Test func theRNTNDefaultsToItsDropoutAndAFlagOverridesIt() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        func stored(_ run: String) throws -> Double? { try storedConfig(run).dropout }
        let options = trainOptions + ["--data", data, "--model", "rntn", "--epochs", "1"]
        let byDefault = try sentree(["train", "--out", data + "/default"] + options)
        #expect(byDefault.status == 0, "\(byDefault.stderr)")
        #expect(
            byDefault.stdout.contains(
                "dropout 0.5  leaf dropout 0.2  word dropout 1.0  reset every epoch  ε 0.001  batch"),
            "\(byDefault.stdout)")
        #expect(try stored(data + "/default") == 0.5)
        #expect(try storedConfig(data + "/default").wordDropout == 1)
        #expect(try storedConfig(data + "/default").leafDropout == 0.2)
        let off = try sentree(
            ["train", "--out", data + "/off", "--dropout", "0", "--word-dropout", "0", "--leaf-dropout", "0"]
                + options)
        #expect(off.status == 0 && !off.stdout.contains("dropout"), "\(off.stdout)")
        #expect(try storedConfig(data + "/off").wordDropout == 0)
        #expect(try stored(data + "/off") == 0)
        let a = try Checkpoint.read(from: data + "/default/last.safetensors").parameters
        let b = try Checkpoint.read(from: data + "/off/last.safetensors").parameters
        #expect(a != b)
    }

    @Test func theRunRecordsItsDropoutAndResumeKeepsIt() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let options = trainOptions + ["--data", data, "--dropout", "0.25"]
        let straight = try sentree(["train", "--out", data + "/straight", "--epochs", "4"] + options)
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stdout.contains("l2 0.001  dropout 0.25  batch"), "\(straight.stdout)")

        let run = data + "/run"
        let first = try sentree(["train", "--out", run, "--epochs", "2"] + options)
        #expect(first.status == 0, "\(first.stderr)")
        let stored = try storedConfig(run)
        #expect(stored.dropout == 0.25)
        #expect(try Checkpoint.read(from: run + "/last.safetensors").config.dropout == 0.25)

        let changed = try sentree([
            "train", "--headless", "--resume", run, "--epochs", "4", "--dropout", "0.5",
        ])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("--dropout 0.5 (the run has 0.25)"), "\(changed.stderr)")
        // Without the flag, or with the same value, the run goes on with its own rate.
        let resumed = try sentree([
            "train", "--headless", "--resume", run, "--epochs", "4", "--dropout", "0.25",
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try Checkpoint.read(from: run + "/last.safetensors")
        let b = try Checkpoint.read(from: data + "/straight/last.safetensors")
        #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))

        // Dropout 0 is not shown; a run without the flag is not refused a --dropout 0.
        let plain = try sentree(
            ["train", "--out", data + "/plain", "--epochs", "1"] + trainOptions + ["--data", data])
        #expect(plain.status == 0 && !plain.stdout.contains("dropout"), "\(plain.stdout)")
        let zero = try sentree([
            "train", "--headless", "--resume", data + "/plain", "--epochs", "2", "--dropout", "0",
        ])
        #expect(zero.status == 0, "\(zero.stderr)")
    }
}
