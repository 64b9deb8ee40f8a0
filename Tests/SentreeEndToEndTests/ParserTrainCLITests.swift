import Foundation
import Testing
import SentreeCore

/// `sentree parser train --word-dropout α`: a bad α is refused before anything is written,
/// and the parser file records the α it was trained with.
@Suite struct ParserTrainCLITests {
    @Test(arguments: ["-0.5", "inf", "nan"])
    func badWordDropoutIsAClearError(_ alpha: String) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let out = data + "/p.safetensors"
        let r = try sentree(["parser", "train", "--data", data, "--out", out, "--word-dropout=\(alpha)"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--word-dropout must be zero or a positive number"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theFileRecordsTheWordDropout() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let out = data + "/p.safetensors"
        let r = try sentree(
            ["parser", "train", "--data", data, "--out", out, "--word-dropout", "0.5"] + smallParserOptions)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try ParserFile.read(from: out).info["word_dropout"] == "0.5")
    }
}
