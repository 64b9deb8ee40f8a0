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
        let r = try sentree(["train", "--headless", "--data", shared.data, "--out", run, "--epochs", "1",
                             "--embeddings", file, "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rnn d=6"), "\(r.stdout)")
        let line = try #require(r.outputLines.first { $0.contains("embeddings") })
        #expect(line.contains("6-dimensional, 3 of 15 words (20.0%)"), "\(line)")
        let last = try Checkpoint.read(from: run + "/last.safetensors")
        #expect(last.embeddings?.wordsFound == 3)
        #expect(last.config.embeddings == URL(fileURLWithPath: file).standardizedFileURL.path)

        let mismatch = try sentree(["train", "--headless", "--data", shared.data, "--out", dir + "/run2",
                                    "--epochs", "1", "--embeddings", file, "--dim", "8"])
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("has 6-dimensional vectors but the model reads 8-dimensional words"),
                "\(mismatch.stderr)")
        let missing = try sentree(["train", "--headless", "--data", shared.data, "--out", dir + "/run3",
                                   "--embeddings", dir + "/nope.txt"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.txt") && missing.stderr.contains("no such file"),
                "\(missing.stderr)")
    }
}
