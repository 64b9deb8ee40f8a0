import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct TerminalTextRenderTests {
    @Test func cellsShowControlCharactersAsVisibleEscapes() {
        var grid = CellGrid(width: 30, height: 1)
        let used = grid.put("a\u{1B}[31mb\u{9B}c\u{0}", x: 0, y: 0)
        #expect(grid.line(0).hasPrefix("a\\x1b[31mb\\u{9b}c\\x00"))
        #expect(used == 21)
        #expect(!grid.characters.contains { $0.unicodeScalars.contains(where: TerminalText.isControl) })
    }

    @Test func searchTextAndRunPathAreSanitizedOnScreen() throws {
        var s = try Fixture.state()
        s.search = "zz\u{1B}]0;x\u{7}"
        s.setup = DashboardSetup(
            config: s.setup.config, dev: s.setup.dev, devWordIDs: s.setup.devWordIDs,
            runDirectory: "runs/\u{1B}[2J", stepsPerEpoch: 4, startEpoch: 0)
        let grid = render(s, width: 200, height: 40)
        #expect(grid.text.contains("no dev sentence contains 'zz\\x1b]0;x\\x07'"))
        #expect(grid.line(0).contains("run runs/\\x1b[2J"))
        #expect(!grid.characters.contains { $0.unicodeScalars.contains(where: TerminalText.isControl) })
    }
}
