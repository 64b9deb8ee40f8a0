import Foundation
import Testing

/// A plain sentence typed as a probe gets the parser's tree, marked with its dev F1.
@Suite(.serialized) struct DashboardParsedProbeEndToEndTests {
    let dashboard = DashboardEndToEndTests()

    /// A parser trained in a second on a test treebank, and its dev F1 as the panel prints it.
    static let parser: Result<(file: String, f1: String), any Error> = Result {
        let data = try makeDataDirectory()
        let file = data + "/small-parser.safetensors"
        let r = try sentree(["parser", "train", "--data", data, "--out", file] + smallParserOptions)
        guard r.status == 0, let f1 = r.stdout.firstMatch(of: #/dev F1 ([0-9.]+) \(epoch/#)?.1 else {
            throw CLIError("parser training failed: \(r.stdout)\(r.stderr)")
        }
        return (file, String(format: "%.1f", Double(f1) ?? -1))
    }

    struct CLIError: Error { let message: String; init(_ m: String) { message = m } }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func typedSentenceShowsTheParsedTree(size: (Int, Int)) throws {
        let (file, f1) = try Self.parser.get()
        let tmux = TmuxSession()
        let run = try dashboard.startTraining(
            tmux, width: size.0, height: size.1, environment: "", arguments: "--parser \(file)")
        _ = try tmux.waitFor(60, "first epoch") { $0.contains("best epoch") }
        try tmux.keys("i")
        try tmux.run(["send-keys", "-t", "s", "-l", "the movie is not good"])
        try tmux.keys("Enter")
        let screen = try tmux.waitFor(30, "the parsed probe") {
            $0.contains("probe 1/1  pred") && $0.contains("parsed · F1 \(f1)")
        }
        #expect(!screen.contains("approx"), "\(screen)")
        #expect(screen.contains("the movie is not good"))
        try tmux.keys("q")
        _ = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        #expect(dashboard.waitForExit(run)?.contains("EXIT=0") == true)
    }

    /// Without a parser, a typed sentence shows the fixed rule's tree at once; the dashboard
    /// trains a parser in the background, then shows the parsed tree and caches the parser in
    /// the data directory for every later command.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func withoutAParserOneIsTrainedInTheBackground(size: (Int, Int)) throws {
        let tmux = TmuxSession()
        let run = try dashboard.startTraining(tmux, width: size.0, height: size.1, environment: "")
        _ = try tmux.waitFor(60, "first epoch") { $0.contains("best epoch") }
        let record =
            try JSONSerialization.jsonObject(
                with: try Data(contentsOf: URL(fileURLWithPath: run + "/run.json"))) as? [String: Any]
        let data = try #require(record?["dataDirectory"] as? String, "\(String(describing: record))")
        #expect(!FileManager.default.fileExists(atPath: data + "/parser.safetensors"))
        try tmux.keys("i")
        try tmux.run(["send-keys", "-t", "s", "-l", "the movie is not good"])
        try tmux.keys("Enter")
        // The fixed rule's tree first (the parser may also be done before a frame shows it).
        _ = try tmux.waitFor(30, "the probe") {
            $0.contains("probe 1/1") && ($0.contains("approx") || $0.contains("parsed · F1"))
        }
        let screen = try tmux.waitFor(180, "the parsed probe") {
            $0.contains("probe 1/1  pred") && $0.contains("parsed · F1")
        }
        #expect(!screen.contains("approx"), "\(screen)")
        #expect(FileManager.default.fileExists(atPath: data + "/parser.safetensors"))
        let parsed = try sentree(["parse", "--data", data, "the movie is not good"])
        #expect(parsed.status == 0 && !parsed.stderr.contains("training"), "\(parsed.stderr)")
        try tmux.keys("q")
        _ = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        #expect(dashboard.waitForExit(run)?.contains("EXIT=0") == true)
    }

    /// `view` finds the parser cached in the run's data directory: the probe from probes.txt
    /// and one typed after `i` are both parsed trees.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func viewUsesTheDataDirectorysParser() throws {
        let data = try makeDataDirectory()
        let parser = try sentree(["parser", "train", "--data", data] + smallParserOptions)
        try #require(parser.status == 0, "\(parser.stderr)")
        let f1 = try #require(parser.stdout.firstMatch(of: #/dev F1 ([0-9.]+) \(epoch/#)?.1)
        let note = "parsed · F1 " + String(format: "%.1f", Double(f1) ?? -1)
        let run = data + "/run"
        let train = try sentree(["train", "--data", data, "--out", run, "--epochs", "2"] + trainOptions)
        try #require(train.status == 0, "\(train.stderr)")
        try "a good plot\n".write(toFile: run + "/probes.txt", atomically: true, encoding: .utf8)
        let tmux = TmuxSession()
        let exit = try temporaryDirectory("sentree-view-exit") + "/exit"
        let binary = try #require(sentreeBinary)
        try tmux.run([
            "new-session", "-d", "-x", "80", "-y", "24", "-s", "s",
            "\(binary) view \(run); echo EXIT=$? > \(exit); sleep 60",
        ])
        _ = try tmux.waitFor(30, "the probe from probes.txt, parsed") {
            $0.contains("probe 1/1") && $0.contains(note)
        }
        try tmux.keys("i")
        try tmux.run(["send-keys", "-t", "s", "-l", "the movie is not good"])
        try tmux.keys("Enter")
        let screen = try tmux.waitFor(30, "the typed probe, parsed") {
            $0.contains("probe 2/2") && $0.contains(note)
        }
        #expect(!screen.contains("approx"), "\(screen)")
        try quitsCleanly(tmux, exitFile: exit)
    }
}
