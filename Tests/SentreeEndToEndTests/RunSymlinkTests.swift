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

/// `--out` a link, dangling or to an empty directory (issue #18, item 15): the error said
/// "another process created this directory first"; it names the link, and nothing is
/// created through it.
@Suite struct OutSymlinkTests {
    @Test(arguments: [false, true])
    func outThatIsALinkIsRefusedNamingIt(toEmptyDirectory: Bool) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-out-link")
        let target = dir + "/target"
        if toEmptyDirectory {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: target)
        let r = try sentree(
            ["train", "--data", shared.data, "--out", dir + "/link", "--epochs", "1"] + trainOptions)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir)/link: is a symbolic link (to \(target))"), "\(r.stderr)")
        #expect(!r.stderr.contains("another process"))
        if toEmptyDirectory {
            #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        } else {
            #expect(!FileManager.default.fileExists(atPath: target))
        }
        // Nothing left beside the link either (no staging folder).
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == (toEmptyDirectory ? ["link", "target"] : ["link"]))
    }
}
