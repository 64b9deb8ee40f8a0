import Foundation
import SentreeCore

/// The sweep view's state: the sweep as last read, and what the user picked.
public struct SweepViewState: Sendable {
    public var snapshot: SweepSnapshot
    public var sort = TrialSort.index
    public var metric = SweepMetric.fineRoot
    /// Position of the highlighted trial in the table's order.
    public var cursor = 0
    /// Why the last re-read failed, if it did (the last good snapshot stays on screen).
    public var problem: String? = nil

    /// Starts on the metric that picks the trials' best (binary root for the binary task).
    public init(snapshot: SweepSnapshot) {
        self.snapshot = snapshot
        metric = SweepMetric.order(task: snapshot.task)[0]
    }

    /// Applies a key; returns true for q (quit).
    public mutating func handle(_ key: Key) -> Bool {
        let count = snapshot.rows.count
        switch key {
        case .char("q"), .char("Q"): return true
        case .char("s"): sort = TrialSort(rawValue: (sort.rawValue + 1) % TrialSort.allCases.count)!
        case .char("m"): metric = metric.next(task: snapshot.task)
        case .down, .char("j"): cursor += 1
        case .up, .char("k"): cursor -= 1
        case .pageDown: cursor += 10
        case .pageUp: cursor -= 10
        case .home: cursor = 0
        case .end: cursor = count - 1
        default: break
        }
        cursor = max(0, min(cursor, count - 1))
        return false
    }

    var groups: [SeedGroup] { seedGroups(snapshot.rows) }

    /// Each row's group, by position in `groups`.
    func groupOf(_ groups: [SeedGroup]) -> [Int] {
        var result = Array(repeating: 0, count: snapshot.rows.count)
        for (g, group) in groups.enumerated() { for m in group.members { result[m] = g } }
        return result
    }
}

/// The sweep view: a header with the trials' counts, the trials table, the seed groups and
/// their curves, stacked, and a key line. A pure function of the state and the size.
public func renderSweep(
    _ state: SweepViewState, width: Int, height: Int, options: RenderOptions = RenderOptions()
) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    guard width >= minimumSize.width, height >= minimumSize.height else {
        renderTooSmall(&grid, training: false)
        if !options.unicode { grid.makeASCII() }
        return grid
    }
    let snapshot = state.snapshot, groups = state.groups
    let counts = TrialStatus.allCases.map { "\(snapshot.count($0)) \($0.rawValue)" }.joined(separator: "  ")
    grid.put(" SWEEP ", x: 0, y: 0, style: CellStyle(.accent, reverse: true))
    // The counts first: a long path is what gets cut.
    grid.put(
        " \(snapshot.rows.count) trials: \(counts)  \(snapshot.path)", x: 7, y: 0, style: CellStyle(.bold),
        maxWidth: width - 7)

    let body = height - 2
    let groupsHeight = min(groups.count, 8) + 3
    // The table takes what its rows need, leaving the curves at least 10 rows.
    let tableHeight = min(snapshot.rows.count + 2, max(4, body - groupsHeight - 10))
    let curvesHeight = body - groupsHeight - tableHeight
    let order = sortedTrials(snapshot.rows, by: state.sort, metric: state.metric)
    renderTrialsTable(
        TrialsTableInput(
            rows: snapshot.rows, order: order, groupOf: state.groupOf(groups), sort: state.sort,
            metric: state.metric, cursor: state.cursor, task: snapshot.task),
        &grid, Rect(x: 0, y: 1, width: width, height: tableHeight), options)
    let lead = groupLead(groups, snapshot.rows, metric: state.metric)
    renderSeedGroups(
        SeedGroupsInput(
            rows: snapshot.rows, groups: groups, metric: state.metric, lead: lead, task: snapshot.task),
        &grid,
        Rect(x: 0, y: 1 + tableHeight, width: width, height: groupsHeight), options)
    renderGroupCurves(
        GroupCurvesInput(rows: snapshot.rows, groups: groups, metric: state.metric, task: snapshot.task),
        &grid,
        Rect(x: 0, y: 1 + tableHeight + groupsHeight, width: width, height: curvesHeight), options)

    let metric = state.metric.name(task: snapshot.task)
    let keys = " q quit  s sort  m metric (\(metric))  ↑↓ trial   view DIR/trials/NAME: one trial"
    if let problem = state.problem {
        grid.put(" " + problem, x: 0, y: height - 1, style: CellStyle(.error), maxWidth: width)
    } else {
        grid.put(keys, x: 0, y: height - 1, style: CellStyle(.dim), maxWidth: width)
    }
    if !options.unicode { grid.makeASCII() }
    return grid
}
