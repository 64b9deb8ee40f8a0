import Foundation
import Testing

/// The readers of a finished `--dev-every` run name the best `train` named, inside an epoch:
/// `export` (rows and `--summary`) and `eval`. The data has 40 training trees in batches of
/// 8: 5 steps per epoch.
@Suite struct DevEveryReadersCLITests {
    /// The place and fine root of `train`'s last line, `best dev fine root 40.00% at epoch 0.40 (…`.
    static func namedBest(_ stdout: String) -> (place: String, fineRoot: String)? {
        guard let m = stdout.firstMatch(of: /best dev fine root (\d+\.\d\d)% at epoch (\d+(?:\.\d\d)?) \(/)
        else { return nil }
        return (String(m.2), String(m.1))
    }

    /// A run whose best is its first evaluation, 0.40 into epoch 1: at a rate too small to
    /// change a prediction every later evaluation scores the same, and the first of equals
    /// is `best` (so the place does not hang on rounding).
    static func trainInner(_ data: String) throws -> (run: String, place: String, fineRoot: String) {
        let run = data + "/inner"
        let r = try sentree(
            ["train", "--data", data, "--out", run, "--epochs", "2", "--lr", "1e-12", "--dev-every", "2"]
                + trainOptions)
        try #require(r.status == 0, "\(r.stderr)")
        let best = try #require(namedBest(r.stdout), "\(r.stdout)")
        return (run, best.place, best.fineRoot)
    }

    /// Cells of a CSV without quoted commas, by column name.
    static func table(_ csv: String) throws -> (header: [String], rows: [[String: String]]) {
        let lines = csv.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = try #require(lines.first).map(String.init)
        let rows = lines.dropFirst().map { cells in
            Dictionary(uniqueKeysWithValues: zip(header, cells.map(String.init)))
        }
        return (header, rows)
    }

    @Test func exportAndEvalNameTheBestInsideAnEpochAsTrainDid() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let (run, place, fineRoot) = try Self.trainInner(data)
        #expect(place == "0.40")

        let rows = try sentree(["export", run, "--csv", "-"])
        #expect(rows.status == 0, "\(rows.stderr)")
        let epochs = try Self.table(rows.stdout)
        #expect(Array(epochs.header.suffix(3)) == ["learning_rate", "position", "kind"])
        // Global steps 2 and 4 in epoch 1, 6 and 8 in epoch 2; 5 and 10 are epoch ends.
        #expect(epochs.rows.map { $0["position"] } == ["0.4", "0.8", "1", "1.2", "1.6", "2"])
        #expect(
            epochs.rows.map { $0["kind"] } == [
                "evaluation", "evaluation", "epoch", "evaluation", "evaluation", "epoch",
            ])
        #expect(epochs.rows.map { $0["epoch"] } == ["1", "1", "1", "2", "2", "2"])
        #expect(epochs.rows.map { $0["train_loss"]?.isEmpty } == [true, true, false, true, true, false])

        let summary = try sentree(["export", run, "--summary", "--csv", "-"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let best = try #require(try Self.table(summary.stdout).rows.first)
        #expect(best["best_epoch"] == place && best["train_loss"] == "")
        #expect(best["fine_root"].flatMap(Double.init).map { String(format: "%.2f", 100 * $0) } == fineRoot)

        let eval = try sentree(["eval", "--checkpoint", run])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains(", epoch \(place)"), "\(eval.stdout)")
        #expect(eval.stdout.contains("fine root    \(fineRoot)%"), "\(eval.stdout)")
        let json = try sentree(["eval", "--checkpoint", run, "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["position"] as? Double == 0.4 && object["train_loss"] == nil)
    }

    /// A run without `--dev-every` exports the columns it always had, its best by its epoch.
    @Test func aRunWithoutDevEveryExportsAsBefore() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/plain"
        let r = try sentree(["train", "--data", data, "--out", run, "--epochs", "3"] + trainOptions)
        try #require(r.status == 0, "\(r.stderr)")
        let named = try #require(Self.namedBest(r.stdout), "\(r.stdout)")
        let rows = try sentree(["export", run, "--csv", "-"])
        // The header of `export` before evaluations inside epochs were read (and before the
        // recipe's settings had columns).
        let header: String = [
            "sweep,trial,run,model,dim,middle,input_dim,epochs,batch_size,lr,optimizer,l2,",
            "l2_classifier,l2_words,dropout,word_dropout,adagrad_reset,adagrad_epsilon,embeddings,",
            "embedding_lr_scale,leaf_dropout,state_dropout,classifier_hidden,word_optimizer,word_lr,",
            "dev_every,lr_plateau,lr_plateau_factor,patience,task,neutral_roots,",
            "lowercase,data,seed,epoch,train_loss,fine_all,fine_root,binary_root,",
            "binary_all,seconds,trees_per_second,learning_rate",
        ].joined()
        #expect(rows.outputLines.first == header)
        #expect(rows.outputLines.count == 4)
        let summary = try sentree(["export", run, "--summary", "--csv", "-"])
        let best = try #require(try Self.table(summary.stdout).rows.first)
        #expect(best["best_epoch"] == named.place && !named.place.contains("."))
        #expect(best["train_loss"]?.isEmpty == false)
        let eval = try sentree(["eval", "--checkpoint", run])
        #expect(eval.stdout.contains(", epoch \(named.place))"), "\(eval.stdout)")
    }
}
