import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct AccuracyViewTests {
    /// The fixture state with an evaluation whose counts are known: a confusion matrix with
    /// large counts and length counts from hand-made predictions over trees of 3 to 27 words.
    static func state(size: (Int, Int)) throws -> DashboardState {
        var s = try Fixture.state()
        s.views.screenWidth = size.0
        s.views.screenHeight = size.1
        var m = Metrics()
        m.confusionAll = [
            [812, 1204, 160, 41, 3], [402, 3310, 1630, 301, 12], [95, 1420, 15234, 1560, 90],
            [8, 220, 1805, 4130, 690], [1, 30, 190, 1302, 1402],
        ]
        m.confusionRoot = [
            [40, 90, 6, 3, 0], [25, 190, 40, 30, 4], [8, 80, 60, 70, 11],
            [2, 30, 30, 150, 67], [0, 4, 8, 90, 63],
        ]
        for words in [3, 7, 12, 18, 27] {
            let leaves = (1 ... words).map { "(\($0 % 5) w\($0))" }
            let tb = try Treebank.parse(
                leaves.dropFirst().reduce(leaves[0]) { "(3 \($0) \($1))" }, source: "len")
            // Right on every other node: 50% at every length but the root's.
            let predicted: [UInt8] = (0 ..< tb.nodeCount).map { i in
                let gold: UInt8 = tb.labels[i]
                return i % 2 == 0 ? gold : (gold + 1) % 5
            }
            m.byLength.count(tree: 0, of: tb, predicted: predicted)
        }
        s.views.metrics = m
        return s
    }

    @Test func cKeyCyclesChartConfusionLength() throws {
        var s = try Self.state(size: (120, 40))
        #expect(s.views.accuracy == .chart)
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .confusion)
        var text = render(s, width: 120, height: 40).text
        #expect(text.contains(" confusion ─ roots and all nodes"))
        #expect(text.contains("roots  0--   1-   2o   3+  4++  rec"))
        // Row 1 of the all-nodes matrix: counts and recall 3310/5655.
        #expect(text.contains(" 1-    402 3310 1630  301   12  59%"), "\(text)")
        // 15234 abbreviated.
        #expect(text.contains(" 2o     95 1420  15k 1560   90  83%"))
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .length)
        text = render(s, width: 120, height: 40).text
        #expect(text.contains(" length ─ by words spanned"))
        #expect(text.contains(" words  nodes   fine  roots   root"))
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .chart)
    }

    /// At 80x24 the two matrices do not fit together: `c` shows them one after the other.
    @Test func smallScreenShowsOneMatrixAtATime() throws {
        var s = try Self.state(size: (80, 24))
        _ = s.handle(.char("c"))
        #expect(render(s, width: 80, height: 24).text.contains(" confusion ─ roots  (c: all nodes)"))
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .confusionNodes)
        #expect(render(s, width: 80, height: 24).text.contains("all    0--   1-   2o   3+  4++  rec"))
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .length)
    }

    /// Shades follow the row share, so a class's largest cell is the darkest of its row.
    @Test func cellsAreShadedByRowShare() throws {
        var s = try Self.state(size: (120, 40))
        s.views.accuracy = .confusion
        let grid = render(s, width: 120, height: 40)
        let row = try #require((0 ..< 40).first { grid.line($0).contains(" 2o     95 1420  15k 1560   90") })
        let cells = (0 ..< 5).map { grid.style(x: 5 + 5 * $0 + 4, y: row).tone }
        #expect(cells == [.shade(1), .shade(1), .shade(4), .shade(1), .shade(1)], "\(cells)")
    }

    @Test func lengthRowsFollowTheCounts() throws {
        var s = try Self.state(size: (120, 40))
        s.views.accuracy = .length
        let text = render(s, width: 120, height: 40).text
        let buckets = s.views.metrics!.byLength.buckets()
        #expect(buckets.map(\.lengths) == [1 ... 10, 11 ... 20, 21 ... 30])
        for b in buckets {
            let line =
                "\(b.lengths.lowerBound)-\(b.lengths.upperBound)".leftPadded(6)
                + String(format: " %6d %5.1f%%", b.nodesTotal, 100 * b.nodeAccuracy!)
            #expect(text.contains(line), "missing \(line)")
        }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshots(size: (Int, Int)) throws {
        var s = try Self.state(size: size)
        s.views.accuracy = .confusion
        expectSnapshot(render(s, width: size.0, height: size.1), "confusion-\(size.0)x\(size.1)")
        s.views.accuracy = .length
        expectSnapshot(render(s, width: size.0, height: size.1), "length-\(size.0)x\(size.1)")
        s.views.accuracy = .confusion
        expectSnapshot(
            render(s, width: size.0, height: size.1, options: RenderOptions(unicode: false)),
            "confusion-ascii-\(size.0)x\(size.1)")
    }

    @Test func beforeAnEvaluationTheViewsSaySo() throws {
        var s = try Fixture.state()
        s.views.metrics = nil
        s.views.accuracy = .confusion
        #expect(render(s, width: 120, height: 40).text.contains("appears after the first evaluation"))
        s.views.accuracy = .length
        #expect(render(s, width: 120, height: 40).text.contains("appears after the first evaluation"))
    }
}

extension AccuracyViewTests {
    /// A wide, short panel puts the two matrices side by side.
    @Test func wideShortPanelShowsBothSideBySide() throws {
        var s = try Self.state(size: (170, 24))
        _ = s.handle(.char("c"))
        let grid = render(s, width: 170, height: 24)
        let header = try #require((0 ..< 24).first { grid.line($0).contains("roots  0--") })
        #expect(
            grid.line(header).contains(
                "roots  0--   1-   2o   3+  4++  rec all    0--   1-   2o   3+  4++  rec"),
            "\(grid.text)")
        #expect(
            grid.line(header + 2).contains(
                " 1-     25  190   40   30    4  66%  1-    402 3310 1630  301   12  59%"))
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .length)
    }
}
