import Foundation
import Testing
import SentreeCore

/// `sentree parser train --word-dropout α` and `--char-channels N`: a bad value is refused
/// before anything is written, and the parser file records the value it was trained with.
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

    @Test func badCharacterChannelsAreAClearError() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let out = data + "/p.safetensors"
        let r = try sentree(["parser", "train", "--data", data, "--out", out, "--char-channels", "20"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("character channels 20 is not 0 or a multiple of 16"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theFileRecordsTheCharacterEncoder() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let out = data + "/p.safetensors"
        let r = try sentree(
            ["parser", "train", "--data", data, "--out", out, "--char-channels", "16", "--char-dim", "8"]
                + smallParserOptions)
        #expect(r.status == 0, "\(r.stderr)")
        let parser = try ParserFile.read(from: out)
        #expect(parser.layout.config.charChannels == 16 && parser.layout.config.charDim == 8)
        #expect(parser.features.characters != nil)
        let parsed = try sentree(["parse", "--parser", out, "The film is good ."])
        #expect(
            parsed.status == 0 && parsed.stdout.contains(" The)") && parsed.stdout.contains(" .)"),
            "\(parsed.stdout) \(parsed.stderr)")
    }
}
