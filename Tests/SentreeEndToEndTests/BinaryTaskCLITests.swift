import Foundation
import SentreeCore
import Testing

/// `--task binary` through the command line: training, resuming, `eval`, `predict` and
/// `gradcheck` of a binary-task run.
@Suite struct BinaryTaskCLITests {
    /// A data directory and a 2-epoch binary run on it (trained once per test that asks).
    func binaryRun(_ tag: String) throws -> (data: String, run: String, output: Run) {
        let data = try makeDataDirectory()
        let run = data + "/\(tag)"
        let output = try sentree(
            ["train", "--data", data, "--out", run, "--epochs", "2", "--task", "binary"] + trainOptions)
        #expect(output.status == 0, "\(output.stderr)")
        return (data, run, output)
    }

    /// Dev trees whose root is not neutral: what the binary task scores.
    func nonNeutralRoots(_ file: String) throws -> Int {
        let bank = try Treebank.load(contentsOf: file)
        return (0 ..< bank.count).filter { bank.labels[bank.nodes(of: $0).upperBound - 1] != 2 }.count
    }

    @Test func trainsAndRecordsTheTask() throws {
        let (data, run, output) = try binaryRun("binary")
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(output.stdout.contains("task binary (SST-2)"), "\(output.stdout)")
        #expect(output.stdout.contains("  neutral roots in train  "), "\(output.stdout)")
        // Training keeps the neutral-root trees by default; dev drops them.
        let train = try Treebank.load(contentsOf: data + "/train.txt").count
        #expect(output.stdout.contains("train \(train) trees"), "\(output.stdout)")
        #expect(try storedConfig(run).neutralRoots == .keep)
        #expect(output.stdout.contains("3-class root") && output.stdout.contains("binary root"))
        #expect(output.stdout.contains("best dev binary root"), "\(output.stdout)")
        let dev = try nonNeutralRoots(data + "/dev.txt")
        #expect(output.stdout.contains("dev \(dev) trees"), "\(output.stdout)")
        #expect(try storedConfig(run).task == .binary)
        let checkpoint = try Checkpoint.read(from: run + "/best.safetensors")
        #expect(checkpoint.config.task == .binary && checkpoint.model.classes == 3)

        // A fine run says nothing of a task, and its run.json has no task field.
        let fine = data + "/fine"
        let plain = try sentree(["train", "--data", data, "--out", fine, "--epochs", "1"] + trainOptions)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("task") && plain.stdout.contains("fine root"))
        let json = try String(contentsOfFile: fine + "/run.json", encoding: .utf8)
        #expect(!json.contains("task"), "\(json)")
        #expect(try Checkpoint.read(from: fine + "/last.safetensors").model.classes == 5)

        // --resume refuses another task either way, and continues with the run's own.
        try expectRefusedOnResume(
            run, ["--epochs", "3", "--task", "fine"], saying: "--task fine (the run has binary)")
        try expectRefusedOnResume(
            fine, ["--epochs", "2", "--task", "binary"], saying: "--task binary (the run has fine)")
        try expectRefusedOnResume(
            run, ["--epochs", "3", "--neutral-roots", "drop"],
            saying: "--neutral-roots drop (the run has keep)")
        try expectRefusedOnResume(
            fine, ["--epochs", "2", "--neutral-roots", "keep"], saying: "fine-task run")
        let refused = try sentree(["train", "--data", data, "--out", data + "/x", "--neutral-roots", "drop"])
        #expect(refused.status != 0 && refused.stderr.contains("--neutral-roots needs --task binary"))

        // Tai et al.'s training set: only the trees whose root is not neutral.
        let tai = data + "/tai"
        let dropped = try sentree(
            [
                "train", "--data", data, "--out", tai, "--epochs", "1", "--task", "binary", "--neutral-roots",
                "drop",
            ]
                + trainOptions)
        #expect(dropped.status == 0, "\(dropped.stderr)")
        let nonNeutral = try nonNeutralRoots(data + "/train.txt")
        #expect(nonNeutral < (try Treebank.load(contentsOf: data + "/train.txt").count))
        #expect(
            !dropped.stdout.contains("neutral roots")
                && dropped.stdout.contains("train \(nonNeutral) trees"))
        let resumed = try sentree([
            "train", "--headless", "--resume", run, "--epochs", "3", "--task", "binary",
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("epoch   3/3") && resumed.stdout.contains("3-class all"))
        #expect(try Checkpoint.read(from: run + "/last.safetensors").config.task == .binary)
    }

    /// Evaluations inside epochs (--dev-every) print the binary run's figures as its epoch
    /// lines do: `3-class` for the argmax over its classes, nothing called fine.
    @Test func evaluationsInsideEpochsSpeakTheTask() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let output = try sentree(
            [
                "train", "--data", data, "--out", data + "/run", "--epochs", "1", "--task", "binary",
                "--dev-every", "0.5ep",
            ]
                + trainOptions)
        #expect(output.status == 0, "\(output.stderr)")
        let evals = output.stdout.split(separator: "\n").filter { $0.hasPrefix("eval ") }
        #expect(!evals.isEmpty && evals.allSatisfy { $0.contains("3-class all") }, "\(output.stdout)")
        #expect(!output.stdout.contains("fine"), "\(output.stdout)")
    }

    @Test func evalAndPredictSpeakTheTask() throws {
        let (data, run, _) = try binaryRun("binary")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let text = try sentree(["eval", "--checkpoint", run, "--threads", "1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("task binary (SST-2)"), "\(text.stdout)")
        #expect(text.stdout.contains("3-class all") && text.stdout.contains("binary root"))
        #expect(text.stdout.contains("classes: 0 negative, 1 neutral, 2 positive"))
        #expect(!text.stdout.contains("fine root"))

        let json = try sentree(["eval", "--checkpoint", run, "--threads", "1", "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["task"] as? String == "binary")
        #expect(object["trees"] as? Int == (try nonNeutralRoots(data + "/dev.txt")))
        let confusion = try #require(object["confusion_root"] as? [[Int]])
        #expect(confusion.count == 3 && confusion.allSatisfy { $0.count == 3 })
        #expect(confusion[1] == [0, 0, 0], "no root is neutral")

        // An ensemble of a binary run's checkpoints scores the same trees and says so.
        let ensemble = try sentree([
            "eval", "--checkpoint", run + "/best.safetensors", "--checkpoint", run + "/last.safetensors",
            "--threads", "1",
        ])
        #expect(ensemble.status == 0, "\(ensemble.stderr)")
        #expect(ensemble.stdout.contains("3-cl all  3-cl root  binary root"), "\(ensemble.stdout)")
        #expect(ensemble.stdout.contains("ensemble binary root"), "\(ensemble.stdout)")
        #expect(ensemble.stdout.contains(": \(try nonNeutralRoots(data + "/dev.txt")) trees"))

        // predict names the binary decision, never a 5-class name.
        let tree = try sentree(["predict", "--checkpoint", run, "--trees", "(3 (2 the) (4 great))"])
        #expect(tree.status == 0, "\(tree.stderr)")
        let lines = tree.outputLines
        #expect(lines.first?.contains("task binary (SST-2)") == true, "\(tree.stdout)")
        #expect(lines.count == 4, "\(tree.stdout)")
        for line in lines.dropFirst() {
            let shown = line.trimmingCharacters(in: .whitespaces)
            #expect(shown.hasPrefix("negative ") || shown.hasPrefix("positive "), "\(line)")
        }
        let answer = try sentree([
            "predict", "--checkpoint", run, "--json", "--trees", "(3 (2 the) (4 great))",
        ])
        let root = try #require(
            (try JSONSerialization.jsonObject(with: Data(answer.stdout.utf8)) as? [String: Any]))
        #expect(root["task"] as? String == "binary")
        let node = try #require(root["root"] as? [String: Any])
        let p = try #require(node["probabilities"] as? [Double])
        #expect(p.count == 3)
        let side = try #require(node["binary"] as? String)
        #expect(side == (p[2] > p[0] ? "positive" : "negative"))
        let share = try #require(node["binary_probability"] as? Double)
        #expect(abs(share - max(p[0], p[2]) / (p[0] + p[2])) < 1e-4 && share >= 0.5)
    }

    @Test(arguments: ModelKind.allCases) func gradcheckChecksThreeClasses(_ kind: ModelKind) throws {
        let r = try sentree(["gradcheck", "--model", kind.rawValue, "--task", "binary", "--trees", "2"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("3 classes (task binary (SST-2))") && r.stdout.contains("PASS"))
    }
}

/// `train --resume RUN flags…` fails (exit 1) with `saying` on standard error.
func expectRefusedOnResume(_ run: String, _ flags: [String], saying: String) throws {
    let r = try sentree(["train", "--headless", "--resume", run] + flags)
    #expect(r.status == 1)
    #expect(r.stderr.contains(saying), "\(r.stderr)")
}
