import Foundation
import SentreeCore
import Testing

@testable import SentreeDashboard

/// A trial whose dev fine root per epoch is `fineRoots` (fine all and binary root derived).
private func trial(
    _ index: Int, _ label: String, seed: UInt64, _ fineRoots: [Double], status: TrialStatus = .done,
    total: Int = 4
) -> TrialRow {
    let epochs = fineRoots.enumerated().map { k, v in
        EpochRecord(
            epoch: k + 1, trainLoss: 1 - v, fineAll: v + 0.3, fineRoot: v, binaryRoot: v + 0.4,
            binaryAll: v + 0.45, seconds: 1, treesPerSecond: 100, learningRate: 0.01)
    }
    return TrialRow(
        index: index, name: "\(index)", label: label, seed: seed, status: status, epochsTotal: total,
        epochs: epochs)
}

/// Two settings × three seeds: lr 0.02 leads by 4 points with sds near 1.
private let rows = [
    trial(0, "lr 0.01", seed: 1, [0.30, 0.40, 0.41, 0.39]),
    trial(1, "lr 0.01", seed: 2, [0.31, 0.42, 0.40, 0.41]),
    trial(2, "lr 0.01", seed: 3, [0.29, 0.38, 0.40, 0.40]),
    trial(3, "lr 0.02", seed: 1, [0.35, 0.44, 0.45, 0.44]),
    trial(4, "lr 0.02", seed: 2, [0.36, 0.46, 0.45]),
    trial(5, "lr 0.02", seed: 3, [0.34], status: .running),
]

@Suite struct SweepModelTests {
    @Test func spreadIsTheMeanAndTheSampleStandardDeviation() throws {
        let s = try #require(Spread([1, 2, 3, 6]))
        #expect(s.mean == 3 && s.min == 1 && s.max == 6 && s.count == 4)
        #expect(abs(s.sd - (14.0 / 3).squareRoot()) < 1e-12)
        #expect(Spread([5])?.sd == 0 && Spread([]) == nil)
    }

    @Test func trialsThatDifferOnlyInTheSeedFormAGroup() {
        let groups = seedGroups(rows)
        #expect(groups.map(\.label) == ["lr 0.01", "lr 0.02"])
        #expect(groups[0].members == [0, 1, 2] && groups[1].seeds == [1, 2, 3])
        let spread = groups[1].spread(.fineRoot, rows)!
        // Best epochs: 0.45 (first of equals), 0.46, 0.34 (one epoch so far).
        #expect(spread.count == 3 && abs(spread.mean - (0.45 + 0.46 + 0.34) / 3) < 1e-12)
        #expect(rows[3].best?.epoch == 3)
        // The curve: epoch 4 holds only the trial that got there.
        let curve = groups[1].curve(.fineRoot, rows)
        #expect(curve.map(\.epoch) == [1, 2, 3, 4])
        #expect(curve[0].spread.min == 0.34 && curve[0].spread.max == 0.36 && curve[3].spread.count == 1)
    }

    @Test func theLeadIsClearOnlyWhenLargerThanTheSpread() throws {
        let groups = seedGroups(Array(rows[0 ..< 5]))
        let lead = try #require(groupLead(groups, Array(rows[0 ..< 5]), metric: .fineRoot))
        #expect(lead.leader == 1 && lead.runnerUp == 0)
        // Means 0.455 and 0.41; sds 0.0071 and 0.01.
        #expect(abs(lead.lead - 0.045) < 1e-12 && abs(lead.spread - 0.01) < 1e-12 && lead.clear)
        // The third lr 0.02 seed at 0.34 spreads the group wider than its lead.
        let noisy = try #require(groupLead(seedGroups(rows), rows, metric: .fineRoot))
        #expect(noisy.leader == 1 && !noisy.clear && noisy.spread > noisy.lead)
        // One seed each: no spread to compare with.
        let single = [rows[0], rows[3]]
        #expect(groupLead(seedGroups(single), single, metric: .fineRoot)?.clear == false)
        #expect(groupLead(seedGroups([rows[0]]), [rows[0]], metric: .fineRoot) == nil)
    }

    @Test func trialsSortByIndexBestValueOrStatus() {
        var withQueued = rows
        withQueued.append(trial(6, "lr 0.02", seed: 4, [], status: .queued))
        #expect(sortedTrials(withQueued, by: .index, metric: .fineRoot) == [0, 1, 2, 3, 4, 5, 6])
        #expect(sortedTrials(withQueued, by: .metric, metric: .fineRoot) == [4, 3, 1, 0, 2, 5, 6])
        #expect(sortedTrials(withQueued, by: .status, metric: .fineRoot) == [5, 0, 1, 2, 3, 4, 6])
    }

    @Test func keysSortPickTheMetricMoveAndQuit() {
        var state = SweepViewState(snapshot: SweepSnapshot(path: "/s", varies: ["lr"], rows: rows))
        let sorted = state.handle(.char("s"))
        #expect(!sorted && state.sort == .metric)
        let picked = state.handle(.char("m"))
        #expect(!picked && state.metric == .fineAll)
        _ = state.handle(.end)
        #expect(state.cursor == 5)
        _ = state.handle(.down)
        #expect(state.cursor == 5)
        let quit = state.handle(.char("q"))
        #expect(quit)
    }
}

@Suite struct SweepRenderTests {
    let groups = seedGroups(rows)

    /// A best inside an epoch (`ep 8.25` with --dev-every) gets a column wide enough to stay
    /// two spaces clear of the metric before it, header included.
    @Test func aBestInsideAnEpochIsSetApartFromTheMetricBeforeIt() {
        var inside = trial(0, "lr 0.01", seed: 1, [0.30, 0.40])
        inside.evaluations = [
            EvaluationRecord(
                epoch: 2, step: 9, position: 1.25, fineAll: 0.9, fineRoot: 0.5, binaryRoot: 0.9,
                binaryAll: 0.9,
                learningRate: 0.01, best: true)
        ]
        let table = [inside, trial(1, "lr 0.02", seed: 1, [0.35, 0.44])]
        var grid = CellGrid(width: 80, height: 5)
        let input = TrialsTableInput(
            rows: table, order: [0, 1], groupOf: [0, 1], sort: .metric, metric: .fineRoot, cursor: 0)
        renderTrialsTable(input, &grid, Rect(x: 0, y: 0, width: 80, height: 5), RenderOptions())
        #expect(grid.line(2).contains("90.00%  ep 1.25"), "\(grid.line(2))")
        #expect(grid.line(3).contains("84.00%     ep 2"), "\(grid.line(3))")
        // The header's `best` sits over the column's right end, as the numbers do.
        let header = grid.line(1), row = grid.line(2)
        #expect(header.column(of: "best") + 4 == row.column(of: "ep 1.25") + 7, "\(header)\n\(row)")
    }

    @Test func theTableListsEachTrialWithItsBestEpochInTheChosenOrder() {
        var grid = CellGrid(width: 80, height: 10)
        let input = TrialsTableInput(
            rows: rows, order: sortedTrials(rows, by: .metric, metric: .fineRoot),
            groupOf: [0, 0, 0, 1, 1, 1],
            sort: .metric, metric: .fineRoot, cursor: 1)
        renderTrialsTable(input, &grid, Rect(x: 0, y: 0, width: 80, height: 10), RenderOptions())
        #expect(grid.line(0).contains("6  sorted by best fine root"))
        #expect(grid.line(1).contains("*fine rt") && grid.line(1).contains("status"))
        // Trial 4 (best 0.46 at epoch 2) first, then trial 3 (0.45 at epoch 3).
        #expect(
            grid.line(2).hasPrefix("■B  lr 0.02     2  done        3/4   46.00%   76.00%   86.00%   ep 2"))
        #expect(grid.line(3).contains("3/4") == false && grid.line(3).contains("4/4   45.00%"))
        #expect(grid.style(x: 10, y: 3).reverse && !grid.style(x: 10, y: 2).reverse, "the cursor's row")
        #expect(grid.line(7).contains("running") && grid.line(7).contains("1/4"))
        #expect(grid.style(x: 4 + 8 + 7, y: 7).tone == .accent, "the status is coloured")
    }

    @Test func theGroupsShowMeanPlusMinusSDAndTheLeader() {
        var grid = CellGrid(width: 100, height: 6)
        let lead = groupLead(groups, rows, metric: .fineRoot)
        renderSeedGroups(
            SeedGroupsInput(rows: rows, groups: groups, metric: .fineRoot, lead: lead), &grid,
            Rect(x: 0, y: 0, width: 100, height: 6), RenderOptions())
        let a = grid.line(2), b = grid.line(3)
        #expect(a.hasPrefix("●A lr 0.01      3    41.00 ± 1.00    71.00 ± 1.00"), "\(a)")
        #expect(b.hasPrefix("■B lr 0.02      3    41.67 ± 6.66"), "\(b)")
        #expect(
            grid.line(5).contains(
                "leader B lr 0.02: +0.67 fine root over A lr 0.01, not larger than the seed spread (sd 6.66)"),
            "\(grid.line(5))")
        #expect(grid.style(x: 3, y: 3).tone == .bold && grid.style(x: 3, y: 2).tone == .normal)
    }

    @Test func curvesDrawEachGroupsMeanLineOverItsMinMaxBand() {
        for unicode in [true, false] {
            var grid = CellGrid(width: 60, height: 14)
            renderGroupCurves(
                GroupCurvesInput(rows: rows, groups: groups, metric: .fineRoot), &grid,
                Rect(x: 0, y: 0, width: 60, height: 14), RenderOptions(unicode: unicode))
            let band: Character = unicode ? "░" : ":"
            var bandCells = [0, 0], lineCells = [0, 0]
            for y in 1 ..< 12 {
                for x in 7 ..< 60 {
                    guard case .series(let g) = grid.style(x: x, y: y).tone else { continue }
                    if grid[x, y] == band {
                        bandCells[g] += 1
                    } else if grid[x, y] != " " {
                        lineCells[g] += 1
                    }
                }
            }
            #expect(bandCells.allSatisfy { $0 > 10 } && lineCells.allSatisfy { $0 > 10 }, "\(grid.text)")
            #expect(
                grid.line(13).contains("lr 0.01 (3 seeds)") && grid.line(13).contains("lr 0.02 (3 seeds)"))
            #expect(grid.line(12).contains("ep 1") && grid.line(12).contains("ep 4"))
        }
        // The band spans the trials' lowest and highest values: with one trial it is the line.
        var one = CellGrid(width: 60, height: 14)
        renderGroupCurves(
            GroupCurvesInput(rows: [rows[0]], groups: seedGroups([rows[0]]), metric: .fineRoot), &one,
            Rect(x: 0, y: 0, width: 60, height: 14), RenderOptions())
        let bands = (1 ..< 12).map { y in (7 ..< 60).filter { one[$0, y] == "░" }.count }.reduce(0, +)
        #expect(bands < 60, "a single trial's band is no wider than its line: \(one.text)")
    }

    @Test func theScreenFitsBothTerminalSizes() {
        let state = SweepViewState(snapshot: SweepSnapshot(path: "/sweeps/rnn", varies: ["lr"], rows: rows))
        for (w, h) in [(120, 40), (80, 24)] {
            let grid = renderSweep(state, width: w, height: h)
            #expect(grid.line(0).hasPrefix(" SWEEP  6 trials: 1 running  0 stopped  0 failed  5 done"))
            let text = grid.text
            #expect(text.contains(" trials ") && text.contains(" seed groups ") && text.contains(" curves "))
            #expect(text.contains("41.67 ± 6.66") && text.contains("leader B"))
            #expect(grid.line(h - 1).contains("q quit"))
        }
        #expect(renderSweep(state, width: 70, height: 20).text.contains("Terminal too small"))
    }
}

/// A sweep whose base sets `task: binary`: its trials' best is by binary root, and their
/// argmax figures are over 3 classes, so the view ranks by binary root first and calls the
/// argmax figures 3-class, never fine.
@Suite struct BinarySweepViewTests {
    static let binaryRows = rows.map { row in
        var row = row
        row.task = .binary
        return row
    }

    @Test func theViewStartsOnBinaryRootAndTheKeyStepsThroughTheThreeClassFigures() {
        var state = SweepViewState(snapshot: SweepSnapshot(path: "/s", varies: ["lr"], rows: Self.binaryRows))
        #expect(state.snapshot.task == .binary && state.metric == .binaryRoot)
        _ = state.handle(.char("m"))
        #expect(state.metric == .fineRoot)
        _ = state.handle(.char("m"))
        #expect(state.metric == .fineAll)
        _ = state.handle(.char("m"))
        #expect(state.metric == .binaryRoot)
        // A fine sweep starts on fine root, as before.
        #expect(
            SweepViewState(snapshot: SweepSnapshot(path: "/s", varies: ["lr"], rows: rows)).metric
                == .fineRoot)
    }

    @Test func theTableAndGroupsNameTheThreeClassFigures() {
        let order = sortedTrials(Self.binaryRows, by: .metric, metric: .binaryRoot)
        var grid = CellGrid(width: 80, height: 10)
        renderTrialsTable(
            TrialsTableInput(
                rows: Self.binaryRows, order: order, groupOf: [0, 0, 0, 1, 1, 1], sort: .metric,
                metric: .binaryRoot, cursor: 0, task: .binary), &grid,
            Rect(x: 0, y: 0, width: 80, height: 10), RenderOptions())
        #expect(grid.line(0).contains("sorted by best binary root"), "\(grid.line(0))")
        #expect(grid.line(1).contains("  *bin rt  3-cl rt 3-cl all"), "\(grid.line(1))")
        #expect(!grid.text.contains("fine"), "\(grid.text)")
        // Trial 4's best (binary root 0.86 at epoch 2) leads, its binary root first.
        #expect(grid.line(2).contains("3/4   86.00%   46.00%   76.00%   ep 2"), "\(grid.line(2))")

        let groups = seedGroups(Self.binaryRows)
        var panel = CellGrid(width: 100, height: 6)
        renderSeedGroups(
            SeedGroupsInput(
                rows: Self.binaryRows, groups: groups, metric: .fineRoot,
                lead: groupLead(groups, Self.binaryRows, metric: .fineRoot), task: .binary), &panel,
            Rect(x: 0, y: 0, width: 100, height: 6), RenderOptions())
        #expect(
            panel.line(1).contains("     binary root   *3-class root     3-class all"), "\(panel.line(1))")
        #expect(panel.line(5).contains("+0.67 3-class root over A"), "\(panel.line(5))")
        #expect(!panel.text.contains("fine"), "\(panel.text)")
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func theScreenNamesTheBinaryMeasures(_ size: (Int, Int)) {
        let state = SweepViewState(snapshot: SweepSnapshot(path: "/s", varies: ["lr"], rows: Self.binaryRows))
        let grid = renderSweep(state, width: size.0, height: size.1)
        let text = grid.text
        #expect(text.contains("*bin rt") && text.contains("3-cl rt"), "\(text)")
        #expect(text.contains("dev binary root per epoch"), "\(text)")
        #expect(grid.line(size.1 - 1).contains("m metric (binary root)"), "\(grid.line(size.1 - 1))")
        #expect(!text.contains("fine"), "\(text)")
    }
}
