import Foundation
import Testing

/// A run directory's files are written, never written through: a link planted in place of
/// `metrics.jsonl` or `sentree.lock` must not send this run's lines or pid into the link's
/// target.
@Suite struct RunSymlinkTests {
    @Test(arguments: ["metrics.jsonl", "sentree.lock"])
    func resumeRefusesToWriteThroughALink(_ name: String) throws {
        let data = try makeDataDirectory()
        let run = try temporaryDirectory("sentree-link-run") + "/run"
        let first = try sentree([
            "train", "--headless", "--data", data, "--out", run, "--epochs", "1",
            "--dim", "4", "--threads", "1",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let victim = try temporaryDirectory("sentree-link-victim") + "/precious.txt"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: run + "/" + name)
        try FileManager.default.createSymbolicLink(atPath: run + "/" + name, withDestinationPath: victim)

        let resumed = try sentree(["train", "--headless", "--resume", run, "--epochs", "3"])
        #expect(resumed.status == 1, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(
            resumed.stderr.contains(name) && resumed.stderr.contains("symbolic link"), "\(resumed.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    /// `--out r` trapped in Foundation (a one-character path); it is an ordinary run.
    @Test func aOneCharacterOutIsAnOrdinaryRun() throws {
        let data = try makeDataDirectory()
        let dir = try temporaryDirectory("sentree-one-char")
        let r = try sentree(
            ["train", "--headless", "--data", data, "--out", "r", "--epochs", "1", "--dim", "4"],
            directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/r/last.safetensors"))
    }
}
