import Foundation
import Testing

/// A start that fails after the run directory was made takes it away again (#18 item 16):
/// the next attempt with the same `--out` is not told it "already holds a run".
@Suite struct FailedStartCLITests {
    /// A vectors file of the wrong width for `--dim`, and one with a row that is no number:
    /// both are found only once the run directory exists.
    static let badVectors: [(name: String, text: String, message: String)] = [
        ("wrong width", "good 0.1 0.2 0.3\nbad 0.3 0.2 0.1\n", "3-dimensional vectors"),
        (
            "not a number", "good 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8\nbad 0.1 0.2 x 0.4 0.5 0.6 0.7 0.8\n",
            "expected a number"
        ),
    ]

    @Test(arguments: 0 ..< badVectors.count)
    func badVectorsLeaveNoRunAndTheSameOutWorksNext(_ k: Int) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let vectors = data + "/vectors.txt"
        try Self.badVectors[k].text.write(toFile: vectors, atomically: true, encoding: .utf8)
        let run = data + "/run"
        let failed = try sentree(
            ["train", "--data", data, "--out", run, "--epochs", "1", "--embeddings", vectors] + trainOptions)
        #expect(failed.status == 1 && failed.stderr.contains(Self.badVectors[k].message), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: run), "the failed start left \(run)")
        let next = try sentree(["train", "--data", data, "--out", run, "--epochs", "1"] + trainOptions)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try loggedEpochs(run) == [1])
    }

    /// An empty directory given as `--out` stays, empty: only what the start made goes.
    @Test func anEmptyOutDirectoryStaysEmpty() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/given"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: false)
        try Self.badVectors[0].text.write(toFile: data + "/v.txt", atomically: true, encoding: .utf8)
        let failed = try sentree(
            ["train", "--data", data, "--out", run, "--embeddings", data + "/v.txt"] + trainOptions)
        #expect(failed.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run) == [])
    }
}
