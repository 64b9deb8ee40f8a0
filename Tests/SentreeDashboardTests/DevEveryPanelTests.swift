import SentreeCore
import Testing
@testable import SentreeDashboard

/// Evaluations inside epochs (`--dev-every`) in the accuracy panel and the dashboard state.
@Suite struct DevEveryPanelTests {
    static func point(_ epoch: Int, _ fineRoot: Double, at position: Double? = nil) -> EpochPoint {
        EpochPoint(
            epoch: epoch, trainLoss: position == nil ? 1.25 : .nan, fineAll: 0.5, fineRoot: fineRoot,
            binaryRoot: 0.8, seconds: 1, position: position)
    }

    static func draw(_ input: AccuracyPanelInput, unicode: Bool = true) -> CellGrid {
        var grid = CellGrid(width: 50, height: 16)
        renderAccuracy(input, &grid, Rect(x: 0, y: 0, width: 50, height: 16), RenderOptions(unicode: unicode))
        return grid
    }

    @Test func theTableWritesAnEvaluationsPlaceAndNoLossAndStarsABestInsideAnEpoch() {
        let input = AccuracyPanelInput(
            epochs: [Self.point(1, 0.4), Self.point(2, 0.45, at: 1.5), Self.point(2, 0.42)], best: 1.5)
        let grid = Self.draw(input)
        #expect(grid.line(0).hasPrefix(" accuracy ─ dev %  best epoch 1.50 "), "\(grid.line(0))")
        #expect(grid.line(2).hasPrefix("     1    50.00  40.00    80.00   1.250"), "\(grid.line(2))")
        #expect(grid.line(3).hasPrefix(" *1.50    50.00  45.00    80.00       -"), "\(grid.line(3))")
        #expect(grid.style(x: 1, y: 3) == CellStyle(.good))
        #expect(grid.line(4).hasPrefix("     2    50.00  42.00    80.00   1.250"), "\(grid.line(4))")
    }

    /// The column of the chart's highest fine-root mark (ASCII `r`).
    static func peakColumn(_ input: AccuracyPanelInput) -> Int? {
        let grid = draw(input, unicode: false)
        for y in 0 ..< 15 {
            let line = Array(grid.line(y))
            if y > 6, let x = line.firstIndex(of: "r") { return x }
        }
        return nil
    }

    /// A peak at 1.9 sits near the end of the span from 1 to 2, not in the middle as the
    /// second of three points would by index; the same peak at 1.5 sits in the middle.
    @Test func theChartPlacesEvaluationsAtTheirPlaceInEpochs() throws {
        func input(_ at: Double) -> AccuracyPanelInput {
            AccuracyPanelInput(epochs: [Self.point(1, 0.1), Self.point(2, 0.9, at: at), Self.point(2, 0.1)])
        }
        let late = try #require(Self.peakColumn(input(1.9)))
        let middle = try #require(Self.peakColumn(input(1.5)))
        // The plot starts at column 8 and is 42 columns wide.
        #expect(late >= 8 + 42 * 8 / 10, "\(late)")
        #expect(abs(middle - (8 + 21)) <= 1, "\(middle)")
    }

    @Test func theStateTakesEvaluationsInsideEpochsAndTheirBest() throws {
        var s = try Fixture.state()
        let report = EvaluationReport(
            epoch: 1, step: 3, metrics: Metrics(), outcomes: [],
            snapshot: Fixture.snapshot(s.setup))
        s.apply(.devEvaluation(DevEvaluation(dev: report, position: 0.25, learningRate: 0.1, isBest: true)))
        #expect(s.epochs.last?.at == 0.25 && s.bestPosition == 0.25 && s.bestEpoch == 1)
        #expect(s.evaluatedStep == 3)
        s.apply(.note("no dev fine root gain in 2 evaluations: learning rate 0.1 → 0.05"))
        #expect(s.message?.hasPrefix("no dev fine root gain") == true && !s.messageIsError)
        #expect(s.exitSummary?.contains("at epoch 0.25") == true)
    }
}
