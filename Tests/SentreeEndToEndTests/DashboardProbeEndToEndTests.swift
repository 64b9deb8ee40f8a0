import Foundation
import Testing

// Probes, the confusion view and the plain-terminal fallback, driven in tmux like a person.

@Suite(.serialized) struct DashboardProbeEndToEndTests {
    let dashboard = DashboardEndToEndTests()

    /// Asks to quit and waits for exit status 0.
    func quit(_ tmux: TmuxSession, _ run: String) throws {
        try tmux.keys("q")
        _ = try tmux.waitFor(10, "quit confirmation") { $0.contains("Quit?") }
        try tmux.keys("y")
        #expect(dashboard.waitForExit(run)?.contains("EXIT=0") == true)
    }

    /// `i`, a sentence, Enter: the sentence's tree appears, coloured by the model, and joins
    /// the run's probes.txt next to the one given with --probe.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func typedSentenceShowsItsColouredTree() throws {
        let tmux = TmuxSession()
        // The tmux server inherits the test's environment, where NO_COLOR may be set.
        let run = try dashboard.startTraining(
            tmux, width: 120, height: 40, environment: "env -u NO_COLOR",
            arguments: "--probe '(3 (2 not) (1 bad))' --parser none")
        _ = try tmux.waitFor(60, "first epoch") { $0.contains("best epoch") }
        try tmux.keys("i")
        _ = try tmux.waitFor(10, "probe input line") { $0.contains("probe (sentence or tree): _") }
        try tmux.run(["send-keys", "-t", "s", "-l", "the movie is not good"])
        try tmux.keys("Enter")
        let screen = try tmux.waitFor(30, "the probe's tree with predictions") {
            $0.contains("tree ─ probe 2/2  pred") && $0.contains("approximate structure")
                && $0.contains(" not good")
        }
        // The root row: class mark, probability, the sentence.
        let rootRow = try #require(
            screen.split(separator: "\n").first { $0.hasSuffix("the movie is not good") })
        #expect(
            rootRow.range(
                of: #"│[0-4](--|- |o |\+ |\+\+) [01]\.\d\d the movie is not good$"#,
                options: .regularExpression) != nil, "\(rootRow)")
        // In colour: the predicted classes are drawn with the palette's 256-colour indices.
        let colored = try tmux.run(["capture-pane", "-p", "-e", "-t", "s"])
        let palette = ["160", "216", "250", "110", "25"]
        let coloredRows = colored.split(separator: "\n").filter { $0.contains("not good") }
        #expect(
            coloredRows.contains { row in palette.contains { row.contains("38;5;\($0)m") } }, "\(coloredRows)"
        )
        let probes = try String(contentsOfFile: run + "/probes.txt", encoding: .utf8)
        #expect(probes == "(3 (2 not) (1 bad))\nthe movie is not good\n")

        // t: the same tree drawn top-down, its words along the bottom.
        try tmux.keys("t")
        let drawing = try tmux.waitFor(10, "top-down drawing") {
            $0.contains("pred") && $0.contains("approximate structure") && $0.contains("top-down")
        }
        #expect(drawing.contains("│the movie is not good"), "\(drawing)")
        #expect(drawing.contains("┌"))

        // c: the confusion matrices of the latest evaluation.
        try tmux.keys("c")
        let matrix = try tmux.waitFor(10, "confusion matrix") {
            $0.contains(" confusion ─ roots and all nodes")
        }
        #expect(matrix.contains("roots  0--   1-   2o   3+  4++  rec"))
        #expect(matrix.contains("all    0--   1-   2o   3+  4++  rec"))
        try quit(tmux, run)
    }

    /// NO_COLOR, the C locale and plain xterm: probes and the confusion view still read.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func plainTerminalStillUsable() throws {
        let tmux = TmuxSession()
        let run = try dashboard.startTraining(
            tmux, width: 80, height: 24, environment: "LC_ALL=C NO_COLOR=1 TERM=xterm",
            arguments: "--parser none")
        _ = try tmux.waitFor(60, "first epoch") { $0.contains("best epoch") }
        try tmux.keys("i")
        try tmux.run(["send-keys", "-t", "s", "-l", "a good plot"])
        try tmux.keys("Enter")
        var screen = try tmux.waitFor(30, "probe tree") {
            $0.contains("probe 1/1  pred") && $0.contains("approx") && $0.contains("a good plot")
        }
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII under LC_ALL=C:\n\(screen)")
        try tmux.keys("c")
        // Waits for the rows too: a capture can land between the title and the body of a frame.
        screen = try tmux.waitFor(10, "roots matrix") {
            $0.contains("confusion - roots  (c: all nodes)")
                && $0.contains("roots  0--   1-   2o   3+  4++  rec")
        }
        #expect(screen.contains("roots  0--   1-   2o   3+  4++  rec"))
        try tmux.keys("c")
        _ = try tmux.waitFor(10, "all-nodes matrix") { $0.contains("all    0--   1-   2o   3+  4++  rec") }
        try tmux.keys("c")
        screen = try tmux.waitFor(10, "length view") {
            $0.contains("length - by words spanned") && $0.contains("  1-10 ")
        }
        #expect(screen.contains("  1-10 "))
        let colored = try tmux.run(["capture-pane", "-p", "-e", "-t", "s"])
        #expect(!colored.contains("\u{1B}[38;5;"), "256-color escapes despite NO_COLOR")
        try quit(tmux, run)
    }

    /// A mouse report as tmux-256color's terminfo declares it (`kmous=\E[M`, X10 encoding:
    /// button, column and row, each offset by 32, the cell 1-based).
    func mouse(_ button: Int, x: Int, y: Int) -> String {
        "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x)))
            + String(UnicodeScalar(UInt8(33 + y)))
    }

    /// A click on a dev-tree row opens it; the wheel moves through the list.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func clickOpensADevTree() throws {
        let tmux = TmuxSession()
        let run = try dashboard.startTraining(tmux, width: 120, height: 40, environment: "")
        _ = try tmux.waitFor(60, "first epoch") { $0.contains("best epoch") && $0.contains(" tree ─ 1/10") }
        // 120x40: the browser's title is on row 25, its third tree on row 28, from column 55.
        try tmux.run(["send-keys", "-t", "s", "-l", mouse(0, x: 70, y: 28) + mouse(3, x: 70, y: 28)])
        _ = try tmux.waitFor(10, "third tree opened") { $0.contains(" tree ─ 3/10") }
        // One notch down moves the cursor three rows (from the third to the sixth); Enter opens it.
        try tmux.run(["send-keys", "-t", "s", "-l", mouse(65, x: 70, y: 30)])
        usleep(300_000)
        try tmux.keys("Enter")
        let screen = try tmux.waitFor(10, "sixth tree opened") { $0.contains(" tree ─ 6/10") }
        #expect(screen.contains(" dev trees ─ 10 of 10"))
        try quit(tmux, run)
    }
}

extension DashboardProbeEndToEndTests {
    /// The dashboard asks the terminal for mouse reports, unless --no-mouse.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [false, true])
    func mouseReportingFollowsTheFlag(noMouse: Bool) throws {
        let tmux = TmuxSession()
        let run = try dashboard.startTraining(
            tmux, width: 80, height: 24, environment: "",
            arguments: noMouse ? "--no-mouse" : "")
        _ = try tmux.waitFor(60, "dashboard") { $0.contains(" loss ") }
        let flag = try tmux.run(["display", "-p", "-t", "s", "#{mouse_any_flag}"])
        #expect(flag.trimmingCharacters(in: .whitespacesAndNewlines) == (noMouse ? "0" : "1"))
        try quit(tmux, run)
    }
}
