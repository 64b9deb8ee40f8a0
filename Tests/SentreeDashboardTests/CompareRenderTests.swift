import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// The runs panel and the overlaid curves, as text: stored snapshots, and the properties
/// that must hold whatever the snapshot says.
@Suite struct CompareRenderTests {
    @Test(arguments: [(2, 80, 24), (2, 120, 40), (5, 80, 24), (5, 120, 40)])
    func viewMatchesSnapshot(runs: Int, width: Int, height: Int) throws {
        let grid = render(try Fixture.viewState(runs: runs), width: width, height: height)
        expectSnapshot(grid.text, named: "view-\(runs)runs-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func trainCompareMatchesSnapshot(width: Int, height: Int) throws {
        let grid = render(try Fixture.compareTrainState(runs: 2), width: width, height: height)
        expectSnapshot(grid.text, named: "train-compare-\(width)x\(height)")
    }

    /// Without Unicode (and so whatever the colours), letters tell the runs apart.
    @Test func asciiUsesLetters() throws {
        let grid = render(
            try Fixture.viewState(runs: 5), width: 80, height: 24, options: RenderOptions(unicode: false))
        expectSnapshot(grid.text, named: "view-5runs-80x24-ascii")
        #expect(grid.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// The view header names the picked run's regularization as the train header does, and
    /// the runs table has it in its dropout column (`-` for none).
    @Test func viewShowsThePickedRunsDropoutAndWordDropout() throws {
        var s = try Fixture.viewState(runs: 5)
        s.compare?.cursor = 2
        let grid = render(s, width: 140, height: 40)
        #expect(
            grid.line(0).contains("rntn d=25  lr 0.01  adagrad  l2 0.0001  dropout 0.5  word dropout 1.0"),
            "\(grid.line(0))")
        #expect(grid.line(3).contains(" dropout "), "\(grid.line(3))")
        #expect(grid.line(6).contains(" 0.5 w1 ") && grid.line(4).contains("      - "), "\(grid.line(6))")
    }

    /// Rows of the screen from `top` on, left of the separator (the two charts).
    func chartText(_ grid: CellGrid, top: Int) -> String {
        (top ..< grid.height - 1).map { String(grid.line($0).prefix(grid.width * 9 / 20)) }.joined(
            separator: "\n")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func everyRunHasItsRowMarkersAndLegend(width: Int, height: Int) throws {
        let s = try Fixture.viewState(runs: 5)
        let grid = render(s, width: width, height: height)
        let charts = chartText(grid, top: 2 + 7)
        for (k, name) in Fixture.runNames.enumerated() {
            let glyph = SeriesMark.glyphs[k]
            // Names keep at least 12 columns. At 120 the model column (with its vectors' coverage)
            // is whole; at 80 it gives way to the settings in which the five runs differ.
            let row = grid.line(4 + k), run = s.comparedRuns[k]
            let nameWidth = runLayout(width: width, runs: s.comparedRuns).name
            let label = runLabels(Fixture.runNames, width: nameWidth, ellipsis: "…")[k]
            #expect(row.hasPrefix("\(k == 0 ? "▶" : " ")\(glyph)\(SeriesMark.letter(k))  \(label)"), "\(row)")
            let model = modelDescription(run)
            #expect(row.contains(width >= 120 ? model : String(model.prefix(8))), "\(row)")
            #expect(charts.contains(glyph), "no \(glyph) marker of \(name) in the charts")
        }
        // Every metric of the best epoch is there: run 0's best epoch is its last, 8.
        let best = try #require(s.comparedRuns[0].best)
        let headline = [best.fineRoot, best.binaryRoot]
        for value in width >= 120 ? [best.fineAll, best.binaryAll] + headline : headline {
            #expect(grid.line(4).contains(String(format: "%.2f", 100 * value)))
        }
        #expect(grid.line(3).contains(width >= 120 ? "best f.all f.root b.root b.all" : "best f.root b.root"))
        #expect(grid.line(3).contains(" lr ") && grid.line(3).contains(" seed "), "\(grid.line(3))")
        // Two columns a name at 80: their ends, as their starts ("rn") look alike.
        let legend = width >= 120 ? " ●A rnn-b  ■B rnn2-  ▲C rntn-" : " ●A se  ■B ep  ▲C or"
        #expect(grid.line(height - 2).hasPrefix(legend), "\(grid.line(height - 2))")
    }

    @Test func hiddenRunsLeaveTheChartsButStayListed() throws {
        var s = try Fixture.viewState(runs: 2)
        _ = s.handle(.char(" "))
        let grid = render(s, width: 120, height: 40)
        let charts = chartText(grid, top: 2 + 4)
        #expect(!charts.contains("●") && charts.contains("■"))
        #expect(grid.line(2).contains("1 of 2 shown"))
        #expect(grid.line(4).contains("rnn-base"))
        #expect(grid.line(4).hasPrefix("▶●A- "))
    }

    @Test func axesFollowTheAlignmentAndMetric() throws {
        var s = try Fixture.viewState(runs: 2)
        var text = render(s, width: 120, height: 40).text
        #expect(text.contains("ep 1") && text.contains("ep 8"))
        #expect(text.contains("dev fine root % ─"))
        _ = s.handle(.char("a"))
        _ = s.handle(.char("m"))
        text = render(s, width: 120, height: 40).text
        // Run B's 7 epochs of 1 s each are the longest.
        #expect(text.contains("0.5s") && text.contains("7.0s trained"), "\(text)")
        #expect(text.contains("dev fine all %  by time"))
    }

    @Test func viewHeaderAndStatusDescribeThePickedRun() throws {
        var s = try Fixture.viewState(runs: 5)
        _ = s.handle(.down)
        _ = s.handle(.down)
        _ = s.handle(.down)
        let grid = render(s, width: 120, height: 40)
        #expect(
            grid.line(0).contains("VIEW   5 runs  ◆D treelstm-glove  treelstm d=150 x=50 +glove 92%"),
            "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix(" epoch 5/10 "))
        #expect(grid.line(1).contains("following metrics.jsonl"))
        #expect(grid.line(39).hasPrefix(" space show/hide  Tab focus"))
    }
}

extension CompareRenderTests {
    @Test func tooSmallInViewDoesNotPromiseTraining() throws {
        let text = render(try Fixture.viewState(runs: 2), width: 79, height: 24).text
        #expect(text.contains("Terminal too small: 79x24.") && text.contains("q quits."))
        #expect(!text.contains("Training continues"))
    }
}

/// Rates in the runs table fit its 6-character columns, exponent included.
@Suite struct CompactRateTests {
    @Test func ratesFitSixCharacters() {
        #expect(compactRate(0.008) == "0.008")
        #expect(compactRate(0.02) == "0.02")
        #expect(compactRate(1e-3) == "0.001")
        #expect(compactRate(1e-5) == "1e-5")
        #expect(compactRate(2.5e-5) == "2.5e-5")
        #expect(compactRate(1.25e-5) == "1.2e-5" || compactRate(1.25e-5) == "1.3e-5")
        #expect(compactRate(1e12) == "1e12")
        for rate in [1e-5, 2.5e-5, 1.25e-5, 1e12, 3.33e-10, 0.0125, 0.00125, 123456.0] {
            #expect(compactRate(rate).count <= 6, "\(rate)")
        }
    }
}
