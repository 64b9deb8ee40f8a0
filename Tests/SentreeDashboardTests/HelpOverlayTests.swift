import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct HelpOverlayTests {
    /// The fixture state on a screen of `size` with the help overlay just opened.
    func helpOpen(_ size: (Int, Int)) throws -> DashboardState {
        var s = try Fixture.state()
        s.views.screenWidth = size.0
        s.views.screenHeight = size.1
        _ = s.handle(.char("?"))
        return s
    }

    /// Reads the overlay back from the screen while scrolling it, and rebuilds every
    /// (key, description) pair from the wrapped rows: nothing may be cut at an edge.
    @Test(arguments: [(80, 24), (120, 40)])
    func everyDescriptionIsReadableInFull(size: (Int, Int)) throws {
        var s = try helpOpen(size)
        let layout = HelpLayout(width: size.0, height: size.1)
        let b = layout.box, keyWidth = HelpLayout.keyWidth
        var rows: [(String, String)] = [], whole: [String] = []
        while true {
            let grid = render(s, width: size.0, height: size.1)
            let first = s.views.helpScroll
            for k in 0 ..< layout.visible where first + k >= rows.count {
                let line = Array(grid.line(b.y + 2 + k))
                let key = String(line[b.x ..< b.x + keyWidth]).trimmingCharacters(in: .whitespaces)
                let text = String(line[(b.x + keyWidth) ..< (b.x + b.width)]).trimmingCharacters(
                    in: .whitespaces)
                // The column right of the box is the dashboard again: the text must end inside.
                #expect(line[b.x + b.width - 1] == " ", "row touches the overlay's edge: \(String(line))")
                rows.append((key, text))
                whole.append(String(line[b.x ..< b.x + b.width]).trimmingCharacters(in: .whitespaces))
            }
            if first == layout.maxScroll { break }
            #expect(s.handle(.down) == [] && s.showHelp)
            #expect(s.views.helpScroll == first + 1)
        }
        // Keys and their descriptions, then a blank row, then the color legend.
        let blank = try #require(rows.firstIndex { $0.0.isEmpty && $0.1.isEmpty })
        var entries: [(String, String)] = []
        for (key, text) in rows[..<blank] {
            if !key.isEmpty || entries.isEmpty {
                entries.append((key, text))
            } else {
                entries[entries.count - 1].1 += " " + text
            }
        }
        #expect(
            whole[(blank + 1)...].filter { !$0.isEmpty }.joined(separator: " ")
                == "colors: -- very negative, - negative, o neutral, + positive, ++ very positive")
        for (key, what) in keyReference {
            #expect(
                entries.contains { $0.0 == key && $0.1 == what }, "\(key): '\(what)' not readable in full")
        }
        // Scrolling stops at the end, and any other key closes the overlay.
        _ = s.handle(.pageDown)
        #expect(s.views.helpScroll == layout.maxScroll)
        _ = s.handle(.char("x"))
        #expect(!s.showHelp)
    }

    @Test func smallScreenScrollsAndSaysSo() throws {
        var s = try helpOpen((80, 24))
        let top = render(s, width: 80, height: 24)
        #expect(HelpLayout(width: 80, height: 24).maxScroll > 0)
        #expect(top.text.contains("↑↓ PgUp PgDn scroll  rows 1-20 of"), "\(top.text)")
        _ = s.handle(.end)
        let bottom = render(s, width: 80, height: 24).text
        #expect(bottom.contains("colors: -- very negative"))
        #expect(!top.text.contains("colors: -- very negative"))
        #expect(HelpLayout(width: 120, height: 40).maxScroll == 0)
    }

    @Test func wrappingKeepsEveryWord() {
        #expect(wrapWords("a bb ccc dddd", width: 6) == ["a bb", "ccc", "dddd"])
        #expect(wrapWords("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(wrapWords("", width: 5) == [""])
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshot(size: (Int, Int)) throws {
        expectSnapshot(render(try helpOpen(size), width: size.0, height: size.1), "help-\(size.0)x\(size.1)")
    }

    /// `sentree view` trains nothing: its help leaves out the keys that steer training.
    @Test func viewHelpLeavesOutTrainingKeys() throws {
        var s = try Fixture.viewState(runs: 2)
        (s.views.screenWidth, s.views.screenHeight) = (120, 40)
        _ = s.handle(.char("?"))
        let text = render(s, width: 120, height: 40).text
        #expect(text.contains("runs panel") && text.contains("add a probe"))
        #expect(!text.contains("pause / resume training") && !text.contains("type an exact learning rate"))
        let training = render(try helpOpen((120, 40)), width: 120, height: 40).text
        #expect(training.contains("pause / resume training"))
    }
}
