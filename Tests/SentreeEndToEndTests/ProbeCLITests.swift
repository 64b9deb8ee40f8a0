import Foundation
import Testing

/// `train --probe`: probes reach RUN/probes.txt, bad ones stop the run before it starts,
/// and a damaged file is reported line by line on --resume.
@Suite struct ProbeCLITests {
    @Test(.enabled(if: sentreeBinary != nil))
    func probesAreSavedCheckedAndReloaded() throws {
        let data = try makeDataDirectory()
        let parent = try temporaryDirectory("sentree-probe-runs")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let run = parent + "/run"
        // A bad probe (neither a tree nor a sentence): refused with its position, and no run
        // is created.
        var result = try sentree(
            [
                "train", "--data", data, "--out", run, "--epochs", "1", "--probe", "good",
                "--probe", "(3 (2 not) (3 b\u{7}ad)",
            ] + trainOptions)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--probe 2:1:16: control character U+0007"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: run))

        result = try sentree(
            [
                "train", "--data", data, "--out", run, "--epochs", "1", "--probe", "the plot is dull",
                "--probe", "(3 (2 not) (3 bad))",
            ] + trainOptions)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try String(contentsOfFile: run + "/probes.txt", encoding: .utf8)
                == "the plot is dull\n(3 (2 not) (3 bad))\n")

        // A damaged line is skipped with file:line:column; the new probe is appended.
        try "the plot is dull\nfun \u{1B}[2J\n(3 (2 not) (3 bad))\n".write(
            toFile: run + "/probes.txt", atomically: true,
            encoding: .utf8)
        result = try sentree([
            "train", "--resume", run, "--epochs", "2", "--probe", "a great movie", "--headless",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("note: \(run)/probes.txt:2:5: "), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(
            try String(contentsOfFile: run + "/probes.txt", encoding: .utf8)
                == "the plot is dull\n(3 (2 not) (3 bad))\na great movie\n")
    }
}
