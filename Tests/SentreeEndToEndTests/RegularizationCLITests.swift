import Foundation
import Testing
import SentreeCore

/// `sentree train --adagrad-reset N --adagrad-epsilon E --l2-classifier λ --l2-words λ --word-dropout α`:
/// validation, the run's record of them, the header, and `--resume`.
@Suite struct RegularizationCLITests {
    @Test(arguments: [
        (["--adagrad-reset=-1"], "--adagrad-reset must be 0 (never) or a number of epochs"),
        (["--adagrad-reset", "1", "--optimizer", "sgd"], "--adagrad-reset needs --optimizer adagrad"),
        (["--l2-classifier=-0.1"], "--l2-classifier must be zero or positive"),
        (["--l2-words", "nan"], "--l2-words must be zero or positive"),
        (["--adagrad-epsilon", "0"], "--adagrad-epsilon must be a positive number"),
        (["--adagrad-epsilon", "1e-3", "--optimizer", "sgd"], "--adagrad-epsilon needs --optimizer adagrad"),
        (["--word-dropout=-0.5"], "--word-dropout must be zero or a positive number (got -0.5)"),
        (["--word-dropout", "inf"], "--word-dropout must be zero or a positive number (got inf)"),
    ])
    func badValuesAreClearErrors(_ flags: [String], _ message: String) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = try sentree(["train", "--data", data, "--out", data + "/run"] + flags + trainOptions)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/run"))
    }

    /// Each model: the settings are stored, shown, change training, and a run stopped after
    /// 2 epochs and resumed ends bit for bit where the straight run does.
    @Test(arguments: [ModelKind.rnn, .rntn, .treelstm])
    func theRunRecordsTheSettingsAndResumeContinuesExactly(_ kind: ModelKind) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let flags = [
            "--adagrad-reset", "1", "--l2-classifier", "0.0001", "--l2-words", "0.01",
            "--word-dropout", "2", "--adagrad-epsilon", "0.01",
        ]
        let options =
            trainOptions + ["--data", data, "--model", kind.rawValue, "--dropout", "0", "--l2", "0.001"]
            + (kind == .treelstm ? ["--input-dim", "8"] : [])
        let straight = try sentree(["train", "--out", data + "/straight", "--epochs", "4"] + flags + options)
        #expect(straight.status == 0, "\(straight.stderr)")
        // The models' own recipe defaults (leaf dropout, the Tree-LSTM's dev schedule) sit between.
        #expect(straight.stdout.contains("l2 0.001 (U 0.0001, words 0.01)  "), "\(straight.stdout)")
        #expect(
            straight.stdout.contains("word dropout 2.0  reset every epoch  ε 0.01  "), "\(straight.stdout)")
        let plain = try sentree(
            [
                "train", "--out", data + "/plain", "--epochs", "4", "--adagrad-reset", "0",
                "--adagrad-epsilon", "1e-8", "--word-dropout", "0",
            ] + options)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(
            !["reset", "words", "ε", "word dropout"].contains { plain.stdout.contains($0) }, "\(plain.stdout)"
        )
        // Word dropout alone changes training too.
        let noWordDropout = try sentree(
            ["train", "--out", data + "/nowd", "--epochs", "4"] + flags
                + ["--word-dropout", "0"] + options)
        #expect(noWordDropout.status == 0, "\(noWordDropout.stderr)")
        // ε alone changes training: the same run with only the default ε ends elsewhere.
        let onlyEpsilon = try sentree(
            [
                "train", "--out", data + "/eps", "--epochs", "4",
                "--adagrad-epsilon", "1e-8",
            ] + flags.dropLast(2) + options)
        #expect(onlyEpsilon.status == 0, "\(onlyEpsilon.stderr)")

        let run = data + "/run"
        #expect(try sentree(["train", "--out", run, "--epochs", "2"] + flags + options).status == 0)
        let stored = try storedConfig(run)
        #expect(stored.adagradReset == 1 && stored.l2Classifier == 0.0001 && stored.l2Words == 0.01)
        #expect(stored.adagradEpsilon == 0.01 && stored.wordDropout == 2)
        let checkpoint = try Checkpoint.read(from: run + "/last.safetensors").config
        #expect(
            checkpoint.adagradReset == 1 && checkpoint.l2Classifier == 0.0001 && checkpoint.l2Words == 0.01)
        #expect(checkpoint.adagradEpsilon == 0.01 && checkpoint.wordDropout == 2)

        let changed = try sentree([
            "train", "--headless", "--resume", run, "--epochs", "4",
            "--adagrad-reset", "2", "--l2-classifier", "0.001", "--l2-words", "0",
            "--adagrad-epsilon", "0.001", "--word-dropout", "1",
        ])
        #expect(changed.status == 1)
        #expect(
            changed.stderr.contains(
                "--l2-classifier 0.001 (the run has 0.0001), --l2-words 0.0 (the run has 0.01), "
                    + "--word-dropout 1.0 (the run has 2.0), --adagrad-reset 2 (the run has 1), --adagrad-epsilon 0.001 (the run has 0.01)"
            ),
            "\(changed.stderr)")
        let resumed = try sentree(["train", "--headless", "--resume", run, "--epochs", "4"] + flags)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let bits = { (path: String) in try Checkpoint.read(from: path).parameters.map(\.bitPattern) }
        #expect(try bits(run + "/last.safetensors") == bits(data + "/straight/last.safetensors"))
        #expect(try bits(data + "/plain/last.safetensors") != bits(data + "/straight/last.safetensors"))
        #expect(try bits(data + "/eps/last.safetensors") != bits(data + "/straight/last.safetensors"))
        #expect(try bits(data + "/nowd/last.safetensors") != bits(data + "/straight/last.safetensors"))
    }

    /// The RNTN resets AdaGrad every epoch and uses ε = 1e-3 unless told otherwise; SGD, which
    /// has no sums, does neither.
    @Test func theRNTNDefaultsToAResetEveryEpochAndCoreNLPsEpsilon() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        func stored(_ run: String) throws -> (Int?, Double?) {
            let c = try storedConfig(run)
            return (c.adagradReset, c.adagradEpsilon)
        }
        let options = trainOptions + ["--data", data, "--model", "rntn", "--epochs", "1"]
        let byDefault = try sentree(["train", "--out", data + "/default"] + options)
        #expect(
            byDefault.status == 0 && byDefault.stdout.contains("reset every epoch  ε 0.001"),
            "\(byDefault.stdout)")
        #expect(try stored(data + "/default") == (1, 0.001))
        let sgd = try sentree(["train", "--out", data + "/sgd", "--optimizer", "sgd"] + options)
        #expect(
            sgd.status == 0 && !sgd.stdout.contains("reset") && !sgd.stdout.contains("ε"), "\(sgd.stdout)")
        #expect(try stored(data + "/sgd") == (nil, nil))
        let off = try sentree(["train", "--out", data + "/off", "--adagrad-reset", "0"] + options)
        #expect(off.status == 0 && !off.stdout.contains("reset"), "\(off.stdout)")
        #expect(try stored(data + "/off") == (0, 0.001))
        let rnn = try sentree(
            ["train", "--out", data + "/rnn", "--data", data, "--epochs", "1"] + trainOptions)
        #expect(rnn.status == 0 && !rnn.stdout.contains("ε"), "\(rnn.stdout)")
        #expect(try stored(data + "/rnn") == (nil, nil))
    }

    /// A run without the flags resumes with their neutral values given explicitly.
    @Test func neutralValuesAreNotRefusedOnResume() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        let first = try sentree(
            ["train", "--out", run, "--epochs", "1", "--data", data, "--l2", "0.002"] + trainOptions)
        #expect(first.status == 0, "\(first.stderr)")
        let resumed = try sentree([
            "train", "--headless", "--resume", run, "--epochs", "2", "--adagrad-reset", "0",
            "--l2-classifier", "0.002", "--l2-words", "0", "--adagrad-epsilon", "1e-8",
            "--word-dropout", "0",
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }
}
