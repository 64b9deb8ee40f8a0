import Foundation
import Testing
import SentreeCore

@Suite struct EmbeddingsCLITests {
    /// `--embeddings` sets d from the file, prints the coverage, and keeps it in the run.
    @Test func trainingFromAVectorsFileReportsCoverage() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-emb")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Vectors for part of the synthetic lexicon, in GloVe format (no header).
        let file = dir + "/vectors.txt"
        try ["good 0.5 0.1 0 0 0 0", "bad -0.5 0 0 0 0 0.2", "movie 0 0 1 0 0 0", "zebra 1 1 1 1 1 1"]
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = dir + "/run"
        let r = try sentree([
            "train", "--headless", "--data", shared.data, "--out", run, "--epochs", "1",
            "--embeddings", file, "--threads", "1",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rnn d=6"), "\(r.stdout)")
        let line = try #require(r.outputLines.first { $0.contains("embeddings") })
        #expect(line.contains("6-dimensional, 3 of 15 words (20.0%)"), "\(line)")
        let last = try Checkpoint.read(from: run + "/last.safetensors")
        #expect(last.embeddings?.wordsFound == 3)
        #expect(last.config.embeddings == URL(fileURLWithPath: file).standardizedFileURL.path)

        let mismatch = try sentree([
            "train", "--headless", "--data", shared.data, "--out", dir + "/run2",
            "--epochs", "1", "--embeddings", file, "--dim", "8",
        ])
        #expect(mismatch.status == 1)
        #expect(
            mismatch.stderr.contains("has 6-dimensional vectors but the model reads 8-dimensional words"),
            "\(mismatch.stderr)")
        let missing = try sentree([
            "train", "--headless", "--data", shared.data, "--out", dir + "/run3",
            "--embeddings", dir + "/nope.txt",
        ])
        #expect(
            missing.status == 1 && missing.stderr.contains("nope.txt")
                && missing.stderr.contains("no such file"),
            "\(missing.stderr)")
    }
}

/// `predict` and `eval` read words that training never saw as <unk> unless asked to give them
/// a vectors file's vector (`--expand-vocabulary`, `--unseen-vectors FILE`).
@Suite struct PredictEmbeddingsCLITests {
    @Test func unseenWordsGetPretrainedVectorsOnlyWhenAsked() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-predict-emb")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 6-dimensional vectors: two training words, and two that training never saw.
        let file = dir + "/vectors.txt"
        try ["good 0.5 0.1 0 0 0 0", "bad -0.5 0 0 0 0 0.2", "zebra 3 -2 1 0.5 2 1", "okapi 1 1 1 1 1 1"]
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = dir + "/run"
        let train = try sentree([
            "train", "--data", shared.data, "--out", run, "--epochs", "2",
            "--embeddings", file, "--headless", "--batch-size", "8", "--threads", "1",
        ])
        try #require(train.status == 0, "\(train.stderr)")

        // Default: all four unseen tokens are <unk>, as in the training-time dev evaluation.
        let sentence = "the zebra is good zebra okapi gnu"
        let without = try sentree(["predict", "--checkpoint", run, sentence])
        #expect(without.status == 0 && without.stderr.isEmpty, "\(without.stderr)")
        #expect(
            without.stdout.contains("not in the vocabulary, read as <unk>: zebra, okapi, gnu"),
            "\(without.stdout)")
        // The run's file: "zebra" (twice) and "okapi" have vectors, "gnu" has none.
        let with = try sentree(["predict", "--checkpoint", run, "--expand-vocabulary", sentence])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.contains("(1 word not in the vocabulary, read as <unk>: gnu)"), "\(with.stdout)")
        #expect(
            with.errorLines == [
                "vectors \(URL(fileURLWithPath: file).standardizedFileURL.path): 2 words unseen "
                    + "in training (3 tokens) read with a pretrained vector instead of <unk>"
            ],
            "\(with.stderr)")
        #expect(
            zebraLine(with.stdout) != nil && zebraLine(with.stdout) != zebraLine(without.stdout),
            "\(with.stdout)\n\(without.stdout)")
        // Lines of standard input share the words found so far; the count covers all of them.
        let stdin = try sentree(
            ["predict", "--checkpoint", run, "--expand-vocabulary"],
            input: "a zebra\n(3 (2 okapi) (3 good))\nthe good\n")
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(stdin.stderr.contains(": 2 words unseen in training (2 tokens)"), "\(stdin.stderr)")
        #expect(!stdin.stdout.contains("<unk>"), "\(stdin.stdout)")

        // An explicit file for a run trained without one; a width that does not fit is an error.
        let other = dir + "/other.txt"
        try "zebra 1 0 0 0 0 0 0 2\n".write(toFile: other, atomically: true, encoding: .utf8)
        let given = try sentree(["predict", "--checkpoint", shared.run, "--unseen-vectors", other, "a zebra"])
        #expect(
            given.status == 0 && given.stderr.contains(": 1 word unseen in training (1 token)"),
            "\(given.stderr)")
        let wrong = try sentree(["predict", "--checkpoint", run, "--unseen-vectors", other, "a zebra"])
        #expect(wrong.status == 1 && wrong.stderr.contains("has 8-dimensional vectors"), "\(wrong.stderr)")
        let none = try sentree(["predict", "--checkpoint", shared.run, "--expand-vocabulary", "a zebra"])
        #expect(none.status == 1 && none.stderr.contains("trained without a vectors file"), "\(none.stderr)")

        // `eval` makes the same choice of file, and says so.
        let dev = dir + "/dev.txt"
        try "(3 (2 zebra) (3 good))\n(1 (2 okapi) (1 bad))\n".write(
            toFile: dev, atomically: true, encoding: .utf8)
        func evalJSON(_ extra: [String]) throws -> (Run, [String: Any]) {
            let r = try sentree(["eval", "--checkpoint", run, "--data", dev, "--json"] + extra)
            // A failed run prints nothing to parse.
            return (
                r, (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
            )
        }
        let (evalWith, scoresWith) = try evalJSON(["--expand-vocabulary"])
        let added = scoresWith["unseen_vectors"] as? [String: Any]
        #expect(evalWith.status == 0 && added?["words"] as? Int == 2, "\(evalWith.stdout)")
        let (evalWithout, scoresWithout) = try evalJSON([])
        #expect(evalWithout.status == 0 && scoresWithout["unseen_vectors"] == nil, "\(evalWithout.stdout)")
        let unseen = scoresWithout["unseen_words"] as? [String: Any]
        #expect(unseen?["words"] as? Int == 2, "\(evalWithout.stdout)")

        // The run's file is gone: asking for it is an error, not a silent <unk>.
        try FileManager.default.removeItem(atPath: file)
        let gone = try sentree(["predict", "--checkpoint", run, "--expand-vocabulary", sentence])
        #expect(gone.status == 1, "\(gone.stderr)")
        #expect(gone.stderr.contains("is gone; give one with --unseen-vectors"), "\(gone.stderr)")
        let (evalGone, _) = try evalJSON(["--expand-vocabulary"])
        #expect(evalGone.status == 1 && evalGone.stderr.contains("is gone"), "\(evalGone.stderr)")
    }

    /// The line of the leaf "zebra" (its label and probability), from `predict` output.
    func zebraLine(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasSuffix("  zebra") }.map(String.init)
    }
}
