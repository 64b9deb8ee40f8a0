import Foundation
import Testing
import SentreeCore

/// `sentree train --dev-every, --lr-plateau, --patience, --word-optimizer, --word-lr`: errors,
/// the headless lines, the run's record of them, and `--resume` refusing a change. The data
/// has 40 training trees in batches of 8: 5 steps per epoch.
@Suite struct RecipeScheduleCLITests {
    @Test(
        arguments: [
            (["--dev-every", "0"], "--dev-every must be a number of steps from 1"),
            (["--dev-every", "1.5ep"], "--dev-every must be a fraction of an epoch above 0 and at most 1ep"),
            (["--dev-every", "soon"], "The value 'soon' is invalid for '--dev-every"),
            (["--lr-plateau", "0"], "--lr-plateau must be from 1 to"),
            (
                ["--lr-plateau", "2", "--lr-plateau-factor", "1"],
                "--lr-plateau-factor must be above 0 and below 1"
            ),
            (["--lr-plateau-factor", "0.5"], "--lr-plateau-factor needs --lr-plateau K"),
            (["--patience=-1"], "--patience must be 0 (never stop early) or from 1 to"),
            (["--patience", "100000000"], "--patience must be from 1 to"),
            (["--word-lr", "0.1"], "--word-lr needs --word-optimizer"),
            (["--word-optimizer", "sgd", "--word-lr=-1"], "--word-lr must be a positive number"),
            (
                ["--word-optimizer", "sgd", "--embedding-lr-scale", "0.1"],
                "it cannot be combined with --embedding-lr-scale or --freeze-embeddings"
            ),
        ])
    func badSettingsAreClearErrors(_ flags: [String], _ message: String) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = try sentree(["train", "--data", data, "--out", data + "/run"] + trainOptions + flags)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/run"))
    }

    @Test func headlessPrintsEachEvaluationAndTheRunKeepsItsSettings() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let flags = [
            "--dev-every", "2", "--lr-plateau", "1", "--patience", "50", "--word-optimizer", "sgd",
            "--word-lr", "0.1",
        ]
        let run = data + "/run"
        let r = try sentree(["train", "--data", data, "--out", run, "--epochs", "2"] + trainOptions + flags)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("words sgd lr 0.1  dev every 2  plateau 1 ×0.5  patience 50  batch 8"),
            "\(r.stdout)")
        // Global steps 2 and 4 in epoch 1, 6 and 8 in epoch 2; 5 and 10 are epoch ends.
        let evals = r.stdout.split(separator: "\n").filter { $0.hasPrefix("eval ") }
        #expect(evals.count == 4, "\(r.stdout)")
        #expect(evals.first?.hasPrefix("eval    0.40/2  fine all ") == true, "\(r.stdout)")
        #expect(evals.map { $0.contains("step 2 ") || $0.contains("step 4 ") }.prefix(2) == [true, true])
        #expect(r.stdout.contains("best dev fine root"))
        let stored = try storedConfig(run)
        #expect(stored.devEvery == .steps(2) && stored.lrPlateau == 1 && stored.patience == 50)
        #expect(stored.wordOptimizer == .sgd && stored.wordLearningRate == 0.1)
        #expect(try Checkpoint.read(from: run + "/last.safetensors").config == stored)

        for (flag, value, stored) in [
            ("--dev-every", "0.5ep", "2"), ("--lr-plateau", "3", "1"), ("--lr-plateau-factor", "0.1", "0.5"),
            ("--patience", "7", "50"), ("--word-optimizer", "adagrad", "sgd"), ("--word-lr", "0.2", "0.1"),
        ] {
            let changed = try sentree(["train", "--headless", "--resume", run, "--epochs", "3", flag, value])
            #expect(changed.status == 1)
            #expect(changed.stderr.contains("\(flag) \(value) (the run has \(stored))"), "\(changed.stderr)")
        }
        let same = try sentree(
            ["train", "--headless", "--resume", run, "--epochs", "3", "--dev-every", "2", "--patience", "50"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(
            same.stdout.split(separator: "\n").filter { $0.hasPrefix("eval ") }.count == 2, "\(same.stdout)")
    }

    /// `treelstm` brings its recipe without flags; each piece can still be turned off.
    @Test func theTreeLSTMRecipeIsTheDefaultAndCanBeTurnedOff() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let flags = ["--model", "treelstm", "--input-dim", "8", "--epochs", "1"] + trainOptions
        let recipe = try sentree(["train", "--data", data, "--out", data + "/recipe"] + flags)
        #expect(recipe.status == 0, "\(recipe.stderr)")
        let stored = try storedConfig(data + "/recipe")
        #expect(stored.leafDropout == 0.25 && stored.stateDropout == 0.25)
        #expect(stored.devEvery == .epochFraction(0.25) && stored.patience == 12)
        #expect(recipe.stdout.contains("patience 12"), "\(recipe.stdout)")
        let off = try sentree(
            [
                "train", "--data", data, "--out", data + "/plain", "--leaf-dropout", "0", "--state-dropout",
                "0",
                "--dev-every", "1ep", "--patience", "0",
            ] + flags)
        #expect(off.status == 0, "\(off.stderr)")
        let plain = try storedConfig(data + "/plain")
        #expect(plain.leafDropout == 0 && plain.stateDropout == 0 && plain.patience == nil)
        #expect(!off.stdout.contains("patience") && !off.stdout.contains("\neval "), "\(off.stdout)")
    }

    /// A run that ran out of patience ends as done, says why, and has nothing left to resume.
    @Test func patienceEndsTheRunWithAReason() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        // A rate too small to change a prediction: only the first evaluation gains.
        let r = try sentree(
            ["train", "--data", data, "--out", run, "--epochs", "20", "--lr", "1e-12", "--patience", "2"]
                + trainOptions)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains(
                "stopped early at the end of epoch 3: no dev fine root gain in 2 evaluations (patience 2); "
                    + "best was dev fine root"),
            "\(r.stdout)")
        #expect(r.stdout.contains("at epoch 1 (fine all"), "\(r.stdout)")
        let again = try sentree(["train", "--headless", "--resume", run])
        #expect(again.status == 0 && again.stdout.contains("stopped early"), "\(again.stdout)")
    }
}
