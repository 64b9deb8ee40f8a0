import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct MouseTests {
    static func state(_ size: (Int, Int)) throws -> DashboardState {
        var s = try Fixture.state()
        s.views.screenWidth = size.0
        s.views.screenHeight = size.1
        return s
    }

    /// The screen row on which `sentence` is drawn, found on the rendered screen itself.
    static func row(of sentence: String, _ s: DashboardState) throws -> Int {
        let grid = render(s, width: s.views.screenWidth, height: s.views.screenHeight)
        return try #require(
            (0 ..< grid.height).first { grid.line($0).contains(sentence) && grid.line($0).contains("→") })
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func clickingABrowserRowOpensThatTree(size: (Int, Int)) throws {
        var s = try Self.state(size)
        let layout = s.layout(width: size.0, height: size.1)
        let y = try Self.row(of: "A great film !", s)
        #expect(s.handle(.mouse(MouseEvent(.click, x: layout.browser.x + 10, y: y))) == [])
        #expect(s.selectedTree == 2 && s.browserCursor == 2 && s.focus == .browser)
        #expect(render(s, width: size.0, height: size.1).text.contains(" tree ─ 3/4  gold 4"))
        // With the list sorted by loss the rows move; the click follows what is drawn.
        _ = s.handle(.char("o"))
        let sorted = try Self.row(of: "It is dull .", s)
        _ = s.handle(.mouse(MouseEvent(.click, x: layout.browser.x + 3, y: sorted)))
        #expect(s.selectedTree == 1)
        // Below the last row, or on the title: focus only.
        _ = s.handle(.mouse(MouseEvent(.click, x: layout.browser.x + 3, y: layout.browser.y + 6)))
        _ = s.handle(.mouse(MouseEvent(.click, x: layout.browser.x + 3, y: layout.browser.y)))
        #expect(s.selectedTree == 1)
    }

    @Test func clicksFocusPanelsAndTheWheelScrollsWhatIsUnderIt() throws {
        var s = try Self.state((120, 40))
        let layout = s.layout(width: 120, height: 40)
        _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: layout.accuracy.y + 2)))
        #expect(s.focus == .accuracy)
        _ = s.handle(.mouse(MouseEvent(.wheelDown, x: layout.tree.x + 5, y: layout.tree.y + 3)))
        #expect(s.treeScroll == wheelStep && s.browserCursor == 0)
        _ = s.handle(.mouse(MouseEvent(.wheelUp, x: layout.tree.x + 5, y: layout.tree.y + 3)))
        #expect(s.treeScroll == 0)
        _ = s.handle(.mouse(MouseEvent(.wheelDown, x: layout.browser.x + 5, y: layout.browser.y + 2)))
        #expect(s.browserCursor == 3)
        // Over the loss chart the wheel scrolls the focused panel.
        s.focus = .tree
        _ = s.handle(.mouse(MouseEvent(.wheelDown, x: 3, y: layout.loss.y + 3)))
        #expect(s.treeScroll == wheelStep)
    }

    @Test func clickingAProbeRowShowsThatProbe() throws {
        var s = try Self.state((120, 40))
        for text in ["good", "bad", "so so"] {
            _ = s.handle(.char("i"))
            for c in text { _ = s.handle(.char(c)) }
            _ = s.handle(.enter)
        }
        let grid = render(s, width: 120, height: 40)
        let y = try #require(
            (0 ..< 40).first { row in
                grid.line(row).trimmingCharacters(in: .whitespaces).hasSuffix(" bad")
                    && grid.line(row).contains("?  ")
            })
        _ = s.handle(.mouse(MouseEvent(.click, x: 80, y: y)))
        #expect(s.views.shownProbe == 1)
        // A click in the browser goes back to the dev trees.
        let dev = try Self.row(of: "Nothing happens", s)
        _ = s.handle(.mouse(MouseEvent(.click, x: 70, y: dev)))
        #expect(s.views.shownProbe == nil && s.selectedTree == 3)
    }

    @Test func mouseWaitsWhileTypingAndScrollsHelp() throws {
        var s = try Self.state((80, 24))
        _ = s.handle(.char("i"))
        let y = try Self.row(of: "A great film !", s)
        _ = s.handle(.mouse(MouseEvent(.click, x: 50, y: y)))
        #expect(s.views.probeInput == "" && s.selectedTree == 0)
        _ = s.handle(.escape)
        _ = s.handle(.char("?"))
        _ = s.handle(.mouse(MouseEvent(.wheelDown, x: 40, y: 10)))
        #expect(s.views.helpScroll == 1 && s.showHelp)
        _ = s.handle(.mouse(MouseEvent(.click, x: 40, y: 10)))
        #expect(!s.showHelp && s.selectedTree == 0)
        // Too small a screen draws no panels, so clicks do nothing.
        s.views.screenWidth = 60
        _ = s.handle(.mouse(MouseEvent(.click, x: 50, y: y)))
        #expect(s.selectedTree == 0)
    }
}
