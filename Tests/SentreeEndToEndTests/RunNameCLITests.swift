import Foundation
import Testing
import SentreeCore

/// `train --name NAME`: runs you can tell apart, never mixed with another run.
@Suite struct RunNameCLITests {
    @Test func aNameGivesRunsNameOrATimedNameWhenTaken() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let train = ["train", "--data", data, "--epochs", "1", "--name", "seed 2"] + trainOptions
        let first = try sentree(train, directory: data)
        #expect(first.status == 0, "\(first.stderr)")
        let named = data + "/runs/seed 2"
        #expect(FileManager.default.fileExists(atPath: named + "/last.safetensors"))
        let log = try String(contentsOfFile: named + "/metrics.jsonl", encoding: .utf8)

        let second = try sentree(train, directory: data)
        #expect(second.status == 0, "\(second.stderr)")
        let note = try #require(second.errorLines.first { $0.contains("is taken") }, "\(second.stderr)")
        #expect(note.hasPrefix("note: runs/seed 2 is taken; this run is runs/seed 2-"), "\(note)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: data + "/runs").sorted()
        #expect(runs.count == 2 && runs[0] == "seed 2", "\(runs)")
        #expect(runs.last?.firstMatch(of: /^seed 2-[0-9]{8}-[0-9]{6}(-[0-9]+)?$/) != nil, "\(runs)")
        // The first run is untouched.
        #expect(try String(contentsOfFile: named + "/metrics.jsonl", encoding: .utf8) == log)
    }

    static let badNames = [
        ["--name", "a/b"], ["--name", ""], ["--name", ".hidden"], ["--name", "x", "--out", "y"],
    ]

    @Test(arguments: badNames)
    func badNamesAreRefused(_ flags: [String]) throws {
        let r = try sentree(["train", "--headless", "--epochs", "1"] + flags)
        #expect(r.status != 0)
        // Refused for what is wrong with the name, not as an unknown flag.
        #expect(r.stderr.contains("run name") || r.stderr.contains("both name the new run"), "\(r.stderr)")
    }
}
