import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// `sentree view` of runs that scored dev inside epochs (`--dev-every`): the best named by
/// its place, and the accuracy chart's line through those evaluations.
@Suite struct ViewEvaluationsTests {
    static func evaluation(_ epoch: Int, _ position: Double, root: Double) -> EvaluationRecord {
        EvaluationRecord(
            epoch: epoch, step: Int(position * 10), position: position, fineAll: 0.75, fineRoot: root,
            binaryRoot: 0.85, binaryAll: 0.8, learningRate: 0.02, best: false)
    }

    /// The fixture's first run (8 epochs, best fine root under 43%) with an evaluation
    /// half-way through epoch 3 that beats every epoch end.
    static func run(inner: Bool) -> ComparedRun {
        var run = Fixture.comparedRun(0, epochs: 8)
        if inner {
            run.config.devEvery = .epochFraction(0.5)
            run.evaluations = [evaluation(3, 2.5, root: 0.5123), evaluation(4, 3.5, root: 0.31)]
        }
        return run
    }

    static func view(_ runs: [ComparedRun]) throws -> DashboardState {
        var s = DashboardState(setup: try Fixture.setup())
        s.trainer = .done
        s.compare = CompareState(runs: runs, viewOnly: true)
        s.focus = .runs
        s.views.accuracy = .chart
        return s
    }

    /// The value under `column` in the runs table's first row, which must be `name`'s.
    static func cell(_ grid: CellGrid, column: String, row name: String) -> String? {
        let lines = (0 ..< grid.height).map(grid.line)
        guard let at = lines.firstIndex(where: { $0.contains(" f.root ") && $0.contains(" best ") }),
            at + 1 < lines.count, lines[at + 1].contains(name)
        else { return nil }
        let (header, row) = (lines[at], lines[at + 1])
        guard let title = header.range(of: " \(column)") else { return nil }
        // Values are right-aligned under their title.
        let end = header.distance(from: header.startIndex, to: title.upperBound)
        let chars = Array(row)
        var start = end
        while start > 0 && chars[start - 1] != " " { start -= 1 }
        return String(chars[start ..< end])
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func theRunsTableNamesTheBestInsideAnEpoch(_ width: Int, _ height: Int) throws {
        let grid = render(try Self.view([Self.run(inner: true)]), width: width, height: height)
        #expect(Self.cell(grid, column: "best", row: "rnn-base") == "2.50", "\(grid.text)")
        #expect(Self.cell(grid, column: "f.root", row: "rnn-base") == "51.23", "\(grid.text)")
        #expect(Self.cell(grid, column: "b.root", row: "rnn-base") == "85.00", "\(grid.text)")
        // Without evaluations the same run's best is its best epoch end, as it always was.
        let plain = render(try Self.view([Self.run(inner: false)]), width: width, height: height)
        let best = try #require(Self.run(inner: false).best)
        #expect(best.position == nil && best.trainLoss != nil)
        #expect(Self.cell(plain, column: "best", row: "rnn-base") == "\(best.epoch)", "\(plain.text)")
        #expect(
            Self.cell(plain, column: "f.root", row: "rnn-base") == String(format: "%.2f", 100 * best.fineRoot)
        )
    }

    /// The highest row holding run A's line (`a` without Unicode) and its first column there.
    static func peak(_ run: ComparedRun, byTime: Bool = false) -> (x: Int, y: Int)? {
        var grid = CellGrid(width: 60, height: 16)
        let input = CompareAccuracyInput(overlay: OverlayRuns(runs: [run], alignByTime: byTime))
        renderCompareAccuracy(
            input, &grid, Rect(x: 0, y: 0, width: 60, height: 16), RenderOptions(unicode: false))
        for y in 1 ..< 13 {
            if let x = Array(grid.line(y)).firstIndex(where: { $0 == "a" || $0 == "A" }) { return (x, y) }
        }
        return nil
    }

    /// A run whose epoch ends score a flat 40% with one evaluation of 90% at `position`.
    static func flat(peakAt position: Double) -> ComparedRun {
        var run = Fixture.comparedRun(0, epochs: 4)
        run.epochs = run.epochs.map {
            var e = $0; e.fineRoot = 0.4; return e
        }
        run.evaluations = [evaluation(Int(position) + 1, position, root: 0.9)]
        return run
    }

    @Test func theAccuracyLineRunsThroughEvaluationsAtTheirPlace() throws {
        // Plot columns 7 to 59 for epochs 1 to 4: epoch e at 7 + 52·(e − 1)/3 (in dots, two a column).
        let late = try #require(Self.peak(Self.flat(peakAt: 2.9)))
        let early = try #require(Self.peak(Self.flat(peakAt: 1.1)))
        #expect(late.y == 1 && early.y == 1)
        #expect(abs(late.x - (7 + Int(52 * 1.9 / 3))) <= 1, "\(late)")
        #expect(abs(early.x - (7 + Int(52 * 0.1 / 3))) <= 1, "\(early)")
        // Without the evaluation the line stays flat: nothing reaches the top row.
        var plain = Self.flat(peakAt: 2.9)
        plain.evaluations = []
        #expect(Self.peak(plain).map(\.y) != 1)
    }

    @Test func byTimeAnEvaluationSitsInsideItsEpochsTime() throws {
        // Epochs of 0.5 s each: 2.5 is a quarter of the way from 0.5 s (epoch 1) to 2 s (epoch 4).
        let run = Self.flat(peakAt: 2.5)
        let series = overlaySeries(
            OverlayRuns(runs: [run], alignByTime: true), value: { $0.fineRoot }, withSteps: false, inner: true
        )
        let points = try #require(series.first).points
        #expect(points.map(\.x) == [0.5, 1.0, 1.25, 1.5, 2.0])
        #expect(points.map(\.y) == [0.4, 0.4, 0.9, 0.4, 0.4])
        #expect(try #require(series.first).marks.map(\.x) == [0.5, 1.0, 1.5, 2.0])
        let peak = try #require(Self.peak(run, byTime: true))
        #expect(abs(peak.x - (7 + 52 / 2)) <= 1, "\(peak)")
    }

    /// `train --compare`: the live run's evaluations inside epochs stay apart from its epochs.
    @Test func theLiveRunKeepsItsEvaluationsApart() throws {
        var s = try Fixture.compareTrainState(runs: 1)
        s.epochs = [
            EpochPoint(epoch: 1, trainLoss: 0.5, fineAll: 0.7, fineRoot: 0.4, binaryRoot: 0.8, seconds: 1),
            EpochPoint(
                epoch: 2, trainLoss: .nan, fineAll: 0.7, fineRoot: 0.5, binaryRoot: 0.8, seconds: 0,
                position: 1.25),
            EpochPoint(epoch: 2, trainLoss: 0.4, fineAll: 0.7, fineRoot: 0.45, binaryRoot: 0.8, seconds: 1),
        ]
        s.bestPosition = 1.25
        let live = s.liveRun
        #expect(live.epochs.map(\.epoch) == [1, 2])
        #expect(live.evaluations.map(\.position) == [1.25])
        #expect(live.best?.place == "1.25")
        #expect(live.accuracyPoints.map(\.at) == s.epochs.map(\.at))
    }

    /// The sweep view's trials table: a trial's best inside an epoch, by its task's score.
    @Test func theSweepTrialsTableNamesABestInsideAnEpoch() {
        let epochs = [0.40, 0.42].enumerated().map { k, v in
            EpochRecord(
                epoch: k + 1, trainLoss: 1, fineAll: 0.7, fineRoot: v, binaryRoot: 0.8, binaryAll: 0.8,
                seconds: 1, treesPerSecond: 100, learningRate: 0.01)
        }
        // Fine root peaks at 1.25; binary root at 0.50.
        var early = Self.evaluation(1, 0.5, root: 0.30)
        early.binaryRoot = 0.9
        let inner = [early, Self.evaluation(2, 1.25, root: 0.5123)]
        func row(_ task: SentimentTask) -> String {
            let trial = TrialRow(
                index: 0, name: "0", label: "lr 0.01", seed: 1, status: .done, epochsTotal: 2, epochs: epochs,
                evaluations: inner, task: task)
            var grid = CellGrid(width: 80, height: 4)
            let input = TrialsTableInput(
                rows: [trial], order: [0], groupOf: [0], sort: .index, metric: .fineRoot, cursor: 0)
            renderTrialsTable(input, &grid, Rect(x: 0, y: 0, width: 80, height: 4), RenderOptions())
            return grid.line(2)
        }
        #expect(row(.fine).contains("2/2   51.23%   75.00%   85.00%  ep 1.25"), "\(row(.fine))")
        #expect(row(.binary).contains("2/2   30.00%   75.00%   90.00%  ep 0.50"), "\(row(.binary))")
    }
}
