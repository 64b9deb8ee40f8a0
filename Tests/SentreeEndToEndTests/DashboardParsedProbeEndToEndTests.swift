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
}
