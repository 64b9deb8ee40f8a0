import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct LineEditorTests {
    enum Failure: Error { case notTypingARate }

    static func typed(_ text: String, _ keys: [Key] = [], history: [String] = []) -> LineEditor {
        var line = LineEditor()
        for c in text { _ = line.handle(.char(c), history: history) }
        for key in keys { _ = line.handle(key, history: history) }
        return line
    }

    @Test func cursorMovesAndTypingInserts() {
        var line = Self.typed("bad", [.left, .left])
        #expect(line.cursor == 1)
        _ = line.handle(.char("X"))
        #expect(line.text == "bXad" && line.cursor == 2)
        _ = line.handle(.char("\u{01}"))
        #expect(line.cursor == 0)
        _ = line.handle(.left)
        #expect(line.cursor == 0)
        _ = line.handle(.char("\u{05}"))
        #expect(line.cursor == 4)
        _ = line.handle(.right)
        #expect(line.cursor == 4)
        _ = line.handle(.home)
        _ = line.handle(.backspace)
        #expect(line.text == "bXad")
        _ = line.handle(.end)
        _ = line.handle(.backspace)
        #expect(line.text == "bXa" && line.cursor == 3)
    }

    @Test func killsToTheStartAWordAndToTheEnd() {
        var line = Self.typed("not bad at all", [.left, .left, .left])
        _ = line.handle(.char("\u{17}"))
        #expect(line.text == "not bad all" && line.cursor == 8)
        _ = line.handle(.char("\u{17}"))
        #expect(line.text == "not all" && line.cursor == 4)
        _ = line.handle(.char("\u{0B}"))
        #expect(line.text == "not " && line.cursor == 4)
        _ = line.handle(.left)
        _ = line.handle(.char("\u{15}"))
        #expect(line.text == " " && line.cursor == 0)
        // Ctrl-U is an edit, never the literal character the probe parser refuses.
        let cleared = Self.typed("0.05", [.char("\u{15}")])
        #expect(cleared.text.isEmpty && !cleared.text.contains("\u{15}"))
    }

    @Test func upAndDownWalkTheHistoryAndKeepTheDraft() {
        let history = ["good film", "(3 (2 not) (3 bad))"]
        var line = Self.typed("dra", history: history)
        _ = line.handle(.up, history: history)
        #expect(line.text == "(3 (2 not) (3 bad))" && line.cursor == line.characters.count)
        _ = line.handle(.up, history: history)
        _ = line.handle(.up, history: history)
        #expect(line.text == "good film")
        _ = line.handle(.down, history: history)
        _ = line.handle(.down, history: history)
        #expect(line.text == "dra")
        _ = line.handle(.down, history: history)
        #expect(line.text == "dra")
    }

    @Test func enterSubmitsEscCancelsAndTheLimitHolds() {
        var line = Self.typed("ab")
        #expect(line.handle(.enter) == .submit && line.handle(.escape) == .cancel)
        _ = line.handle(.char("c"), limit: 2)
        #expect(line.text == "ab")
    }

    /// Each input uses the editor: the probe line, the learning rate and the search.
    @Test func everyInputEditsTheSameWay() throws {
        var s = try Fixture.state()
        _ = s.handle(.char("i"))
        for c in "a dull movie" { _ = s.handle(.char(c)) }
        _ = s.handle(.char("\u{17}"))
        _ = s.handle(.char("\u{15}"))
        #expect(s.views.probeInput?.text == "")
        for c in "good" { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [.saveProbes])

        _ = s.handle(.char("l"))
        for c in "0.5x" { _ = s.handle(.char(c)) }
        _ = s.handle(.backspace)
        _ = s.handle(.home)
        _ = s.handle(.char("\u{0B}"))
        for c in "0.01" { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [.setLearningRate(0.01)])
        _ = s.handle(.char("l"))
        _ = s.handle(.up)
        guard case .learningRate(let recalled) = s.input else { throw Failure.notTypingARate }
        #expect(recalled.text == "0.01")
        _ = s.handle(.escape)

        _ = s.handle(.char("/"))
        for c in "film" { _ = s.handle(.char(c)) }
        _ = s.handle(.enter)
        #expect(s.search == "film")
        _ = s.handle(.char("/"))
        _ = s.handle(.char("\u{15}"))
        for c in "dull" { _ = s.handle(.char(c)) }
        #expect(s.search == "dull")
        // Esc puts back the filter the search started from.
        _ = s.handle(.escape)
        #expect(s.search == "film" && s.input == .none)
        _ = s.handle(.char("i"))
        _ = s.handle(.up)
        #expect(s.views.probeInput?.text == "good")
    }

    @Test func cursorIsDrawnOnTheStatusBar() throws {
        var s = try Fixture.state()
        _ = s.handle(.char("i"))
        for c in "bad" { _ = s.handle(.char(c)) }
        var grid = render(s, width: 120, height: 40)
        #expect(grid.line(39).hasPrefix(" probe (sentence or tree): bad_   Enter add"))
        _ = s.handle(.left)
        _ = s.handle(.left)
        grid = render(s, width: 120, height: 40)
        let x = " probe (sentence or tree): b".count
        #expect(grid.line(39).hasPrefix(" probe (sentence or tree): bad    Enter add"))
        #expect(grid.style(x: x, y: 39) == CellStyle(.normal))
        #expect(grid.style(x: x + 1, y: 39) == CellStyle(.normal, reverse: true))
    }

    @Test func longLineScrollsToKeepTheCursorInSight() {
        var grid = CellGrid(width: 12, height: 1)
        var line = LineEditor("abcdefghijklmnopqrstuvwxyz")
        putLine(line, &grid, x: 0, y: 0, room: 10)
        #expect(grid.line(0) == "…stuvwxyz_  ")
        for _ in 0 ..< 26 { _ = line.handle(.left) }
        grid = CellGrid(width: 12, height: 1)
        putLine(line, &grid, x: 0, y: 0, room: 10)
        #expect(grid.line(0) == "abcdefghi…  ")
        #expect(grid.style(x: 0, y: 0) == CellStyle(.normal))
    }
}

@Suite struct ProbeDeleteTests {
    @Test func deleteTakesTheShownProbeOutAndShowsTheNext() throws {
        var s = try Fixture.state()
        for text in ["good", "bad", "so so"] { _ = ProbePanelTests.type(text, into: &s) }
        _ = s.handle(.char("N"))
        #expect(s.views.shownProbe == 1)
        #expect(s.handle(.char("D")) == [.saveProbes])
        #expect(s.views.probes.map(\.probe.text) == ["good", "so so"] && s.views.shownProbe == 1)
        #expect(s.message == "probe deleted: bad")
        _ = s.handle(.char("D"))
        _ = s.handle(.char("D"))
        #expect(s.views.probes.isEmpty && s.views.shownProbe == nil)
        #expect(render(s, width: 120, height: 40).text.contains(" tree ─ 1/4"))
        #expect(s.handle(.char("D")) == [] && s.messageIsError)
    }
}
