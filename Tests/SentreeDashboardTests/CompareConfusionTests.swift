import SentreeCore
import Testing

@testable import SentreeDashboard

/// `c` while runs are compared: the picked run's confusion matrices, then (two runs or more)
/// how they differ from the reference run's, cell by cell.
@Suite struct CompareConfusionTests {
    /// Metrics whose root matrix holds `roots` (gold × predicted), all-nodes twice that.
    static func metrics(roots: [[Int]]) -> Metrics {
        var m = Metrics()
        m.confusionRoot = roots
        m.confusionAll = roots.map { $0.map { 2 * $0 } }
        return m
    }

    static let diagonal = (0 ..< 5).map { g in (0 ..< 5).map { p in g == p ? 10 : 0 } }
    /// Like `diagonal`, but three gold-1 roots are read as 2.
    static let confused = (0 ..< 5).map { g in
        (0 ..< 5).map { p in g == 1 ? [0, 7, 3, 0, 0][p] : g == p ? 10 : 0 }
    }

    static func state() throws -> DashboardState {
        var s = try Fixture.viewState(runs: 2)
        s.compare!.runs[0].metrics = Self.metrics(roots: confused)
        s.compare!.runs[1].metrics = Self.metrics(roots: diagonal)
        return s
    }

    @Test func cShowsThePickedRunsMatrices() throws {
        var s = try Self.state()
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .confusion)
        let text = render(s, width: 120, height: 40).text
        #expect(text.contains(" confusion ─ A rnn-base  roots + all  (c: change)"), "\(text)")
        #expect(text.contains(" 1-      0    7    3    0    0  70%"), "\(text)")
        #expect(text.contains(" 1-      0   14    6    0    0  70%"), "\(text)")
        // Picking the other run shows its matrices.
        s.focus = .runs
        _ = s.handle(.down)
        let other = render(s, width: 120, height: 40).text
        #expect(other.contains(" confusion ─ B rnn2-deep"), "\(other)")
        #expect(other.contains(" 1-      0   10    0    0    0 100%"), "\(other)")
    }

    @Test func cAgainShowsTheChangeFromTheReferenceRun() throws {
        var s = try Self.state()
        s.focus = .runs
        _ = s.handle(.down)  // pick B; the reference is then A
        _ = s.handle(.char("c"))
        _ = s.handle(.char("c"))
        #expect(s.views.accuracy == .difference)
        let grid = render(s, width: 120, height: 40)
        #expect(grid.text.contains(" confusion change ─ B rnn2-deep − A rnn-base"), "\(grid.text)")
        // B gets three more gold-1 roots right and three fewer wrong: +3 on the diagonal,
        // -3 off it, +30 points of recall, all green; unchanged cells read 0.
        let row = try #require(grid.text.split(separator: "\n").first { $0.contains(" 1-      0   +3   -3") })
        #expect(row.contains("+30"), "\(row)")
        let y = try #require(
            grid.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.contains(" 1-      0   +3   -3")
            })
        let plus = try #require(grid.line(y).range(of: "+3"))
        let x = grid.line(y).distance(from: grid.line(y).startIndex, to: plus.lowerBound)
        #expect(grid.style(x: x, y: y).tone == .good)
        #expect(grid.text.contains(" rows gold, columns predicted; green: better "))
    }

    @Test func at80x24OneMatrixAtATimeAndTheChangeStillFits() throws {
        var s = try Self.state()
        s.views.screenWidth = 80
        s.views.screenHeight = 24
        var seen: [AccuracyView] = []
        for _ in 0 ..< 5 {
            _ = s.handle(.char("c"))
            seen.append(s.views.accuracy)
        }
        #expect(seen == [.confusion, .confusionNodes, .difference, .length, .chart])
        s.views.accuracy = .difference
        let text = render(s, width: 80, height: 24).text
        #expect(text.contains(" 1-      0   -3   +3    0    0  -30"), "\(text)")
        #expect(text.contains(" green: the picked run does better "), "\(text)")
    }

    @Test func oneRunHasNoChangeView() throws {
        var s = try Fixture.viewState(runs: 1)
        s.compare!.runs[0].metrics = Self.metrics(roots: Self.diagonal)
        var seen: [AccuracyView] = []
        for _ in 0 ..< 3 {
            _ = s.handle(.char("c"))
            seen.append(s.views.accuracy)
        }
        #expect(seen == [.confusion, .length, .chart])
        s.views.accuracy = .confusion
        #expect(render(s, width: 120, height: 40).text.contains("(c: length)"))
    }

    @Test func aRunWithoutPredictionsSaysSo() throws {
        var s = try Self.state()
        s.compare!.runs[0].metrics = nil
        _ = s.handle(.char("c"))
        #expect(render(s, width: 120, height: 40).text.contains("no dev predictions from A rnn-base yet"))
    }
}
