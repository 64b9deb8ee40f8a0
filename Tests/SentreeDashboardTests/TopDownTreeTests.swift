import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct TopDownTreeTests {
    func rows(_ d: TopDownDrawing) -> [String] {
        var grid = CellGrid(width: d.width, height: d.height)
        d.draw(into: &grid, Rect(x: 0, y: 0, width: d.width, height: d.height), scroll: 0)
        return (0 ..< d.height).map { String(grid.line($0)) }
    }

    @Test func nodesSitOverTheirChildrenAndWordsAlongTheBottom() throws {
        let tb = try Treebank.parse("(3 (2 not) (3 (2 very) (4 good)))", source: "t")
        // Post-order: not, very, good, (very good), root.
        let prediction = TreePrediction(
            probabilities: Array(repeating: [0.2, 0.2, 0.2, 0.2, 0.2], count: 5),
            predicted: [2, 2, 4, 3, 1])
        let d = TopDownDrawing(tb, tree: 0, prediction: prediction, unicode: true)
        #expect(d.width == TopDownDrawing.width(of: tb, tree: 0) && d.width == 13)
        #expect(
            rows(d) == [
                " ┌──1──┐     ",
                " 2   ┌─3──┐  ",
                " │   2    4  ",
                "not very good",
            ])
        // Each node's mark is coloured by its predicted class.
        var grid = CellGrid(width: 13, height: 4)
        d.draw(into: &grid, Rect(x: 0, y: 0, width: 13, height: 4), scroll: 0)
        #expect(grid.style(x: 4, y: 0) == CellStyle(.sentiment(1), reverse: true))
        #expect(grid.style(x: 10, y: 2) == CellStyle(.sentiment(4), reverse: true))
        #expect(grid.style(x: 10, y: 3) == CellStyle(.sentiment(4)))
        let ascii = TopDownDrawing(tb, tree: 0, prediction: nil, unicode: false)
        #expect(rows(ascii) == [" +--?--+     ", " ?   +-?--+  ", " |   ?    ?  ", "not very good"])
    }

    @Test func tTogglesAndFallsBackWhenTooWide() throws {
        var s = try Fixture.state()
        s.selectedTree = 2
        s.prediction = TreePrediction(
            probabilities: Array(repeating: [0, 0, 0, 0, 1], count: 7),
            predicted: [2, 4, 2, 4, 4, 2, 4])
        _ = s.handle(.char("t"))
        #expect(s.views.drawing == .topDown)
        var text = render(s, width: 120, height: 40).text
        #expect(text.contains("3/4  gold 4 pred 4 ✓  top-down"))
        #expect(text.contains("│A great film !"))
        // The tree panel at 120x40 is 65 columns; a longer sentence does not fit.
        var long = try Fixture.setup()
        let words = (1 ... 12).map { "(2 word\($0))" }
        long.dev = try Treebank.parse(
            words.dropFirst().reduce(words[0]) { "(2 \($0) \($1))" }, source: "long")
        long.devWordIDs = Array(repeating: 0, count: long.dev.nodeCount)
        var wide = DashboardState(setup: long)
        wide.views.drawing = .topDown
        text = render(wide, width: 120, height: 40).text
        #expect(text.contains("too wide for top-down (74 columns); indented"), "\(text)")
        #expect(text.contains("│?   word1 word2"))
        _ = s.handle(.char("t"))
        #expect(s.views.drawing == .indented)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshots(size: (Int, Int)) throws {
        var s = try Fixture.state()
        s.selectedTree = 0
        s.prediction = TreePrediction(
            probabilities: Array(repeating: [0, 0, 0, 1, 0], count: 7),
            predicted: [2, 2, 3, 3, 2, 3, 3])
        s.views.drawing = .topDown
        expectSnapshot(render(s, width: size.0, height: size.1), "topdown-\(size.0)x\(size.1)")
    }
}
