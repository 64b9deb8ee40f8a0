import Foundation
import Testing
import SentreeCore

/// `eval` and the dev evaluation during training are one truth: the same data, the same
/// rule for unseen words, the same keys.
@Suite struct EvalCLITests {
    /// A data directory whose dev set has words training never saw (two of them in `vectors`).
    static func dataWithUnseenWords() throws -> (dir: String, vectors: String) {
        let dir = try makeDataDirectory()
        let dev = try String(contentsOfFile: dir + "/dev.txt", encoding: .utf8)
        try (dev + "(3 (2 zebra) (3 good))\n(1 (2 okapi) (1 bad))\n(1 (2 gnu) (0 awful))\n")
            .write(toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
        let vectors = dir + "/vectors.txt"
        try ["good 0.5 0.1 0 0 0 0", "bad -0.5 0 0 0 0 0.2", "zebra 3 -2 1 0.5 2 1", "okapi -2 1 -1 2 -3 1"]
            .joined(separator: "\n").write(toFile: vectors, atomically: true, encoding: .utf8)
        return (dir, vectors)
    }

    static func json(_ r: Run) throws -> [String: Any] {
        try #require(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        return try #require(object as? [String: Any], "\(r.stdout)")
    }

    /// `eval` of a run's best with default flags gives its metrics.jsonl best row exactly, with
    /// and without `--embeddings`; with no `--data` it scores the run's dev set.
    @Test(arguments: [false, true])
    func evalOfBestReproducesTheBestRow(embeddings: Bool) throws {
        let (data, vectors) = try Self.dataWithUnseenWords()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        let extra = embeddings ? ["--embeddings", vectors] : ["--dim", "6"]
        let train = try sentree(
            [
                "train", "--data", data, "--out", run, "--epochs", "4", "--headless",
                "--batch-size", "8", "--threads", "1", "--seed", "3",
            ] + extra)
        try #require(train.status == 0, "\(train.stderr)")
        let rows = try MetricsLog.readEpochs(from: run + "/metrics.jsonl")
        let best = try #require(rows.max { ($0.fineRoot, -$0.epoch) < ($1.fineRoot, -$1.epoch) })
        let rowObject = try #require(
            try JSONSerialization.jsonObject(
                with: MetricsLog.line(for: best)) as? [String: Any])

        let eval = try sentree(["eval", "--checkpoint", run, "--json"])
        let scores = try Self.json(eval)
        // JSONDecoder, not JSONSerialization: on Linux the latter parses some doubles 1 ulp off.
        // The object decodes as a metrics.jsonl row.
        let row = try JSONDecoder().decode(EpochRecord.self, from: Data(eval.stdout.utf8))
        #expect(row.epoch == best.epoch)
        #expect(row.fineAll == best.fineAll && row.fineRoot == best.fineRoot, "\(row) vs \(best)")
        #expect(row.binaryRoot == best.binaryRoot && row.binaryAll == best.binaryAll, "\(row) vs \(best)")
        #expect(row.trainLoss == best.trainLoss && row.learningRate == best.learningRate)
        // Every key of an epoch row, plus where the numbers came from.
        #expect(Set(rowObject.keys).isSubset(of: Set(scores.keys)), "\(scores.keys.sorted())")
        #expect(scores["checkpoint"] as? String == run + "/best.safetensors")
        #expect(scores["data"] as? String == URL(fileURLWithPath: data).standardizedFileURL.path + "/dev.txt")
        let unseen = try #require(scores["unseen_words"] as? [String: Any])
        #expect(unseen["words"] as? Int == 3 && unseen["read_as"] as? String == "<unk>", "\(unseen)")

        // --data as the directory, and as the file, score the same trees.
        for given in [data, data + "/dev.txt"] {
            let other = try sentree(["eval", "--checkpoint", run, "--data", given, "--json"])
            let otherRow = try JSONDecoder().decode(EpochRecord.self, from: Data(other.stdout.utf8))
            #expect(otherRow.fineAll == best.fineAll && otherRow.fineRoot == best.fineRoot)
            #expect(try Self.json(other)["nodes"] as? Int == scores["nodes"] as? Int)
        }

        // Pretrained vectors for unseen words only when asked, and then said.
        let expand = try sentree(
            ["eval", "--checkpoint", run]
                + (embeddings
                    ? ["--expand-vocabulary"]
                    : ["--unseen-vectors", vectors]))
        #expect(expand.status == 0, "\(expand.stderr)")
        let said = "2 words unseen in training (2 tokens) read with their pretrained vector"
        #expect(expand.stdout.contains(said), "\(expand.stdout)")
        let rest = "1 word (1 token) not in the vocabulary, read as <unk>"
        #expect(expand.stdout.contains(rest), "\(expand.stdout)")
        let plain = try sentree(["eval", "--checkpoint", run])
        let all = "3 words (3 tokens) not in the vocabulary, read as <unk>"
        #expect(plain.stdout.contains(all), "\(plain.stdout)")
        #expect(!plain.stdout.contains("pretrained"), "\(plain.stdout)")
    }

    /// `eval --parse --threads 1` with no cached parser trains one on one thread (the
    /// training's default of 2 ignored --threads), and caches it in the data directory.
    @Test func aParserTrainedForEvalKeepsToItsThreads() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        let trained = try sentree(["train", "--data", data, "--out", run, "--epochs", "1"] + trainOptions)
        #expect(trained.status == 0, "\(trained.stderr)")
        let r = try sentree(["eval", "--checkpoint", run, "--parse", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stderr.contains("No parser for") && r.stderr.contains("epochs, seed 1, 1 thread\n"),
            "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: data + "/parser.safetensors"))
    }

    @Test func evalDataMustBeATreebankOrADirectoryWithDev() throws {
        let shared = try trained()
        let empty = try temporaryDirectory("sentree-eval-empty")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let noDev = try sentree(["eval", "--checkpoint", shared.run, "--data", empty])
        #expect(noDev.status == 1, "\(noDev.stderr)")
        #expect(noDev.stderr.contains("is a directory without dev.txt"), "\(noDev.stderr)")
        let missing = try sentree(["eval", "--checkpoint", shared.run, "--data", empty + "/nope.txt"])
        #expect(
            missing.status == 1 && missing.stderr.contains("nope.txt:0:0: no such file"),
            "\(missing.stderr)")
        let help = try sentree(["eval", "--help"])
        #expect(help.stdout.contains("or a directory (its dev.txt)"), "\(help.stdout)")
    }
}
