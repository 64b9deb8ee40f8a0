import Foundation
import SentreeCore

/// What the seed-groups panel draws.
struct SeedGroupsInput {
    var rows: [TrialRow]
    var groups: [SeedGroup]
    var metric: SweepMetric
    var lead: GroupLead?
    /// The trials' task, which names the metrics and orders them.
    var task: SentimentTask? = .fine
}

/// `45.12 ± 1.03` in percentage points (no ± for a single seed).
func meanAndSD(_ s: Spread?) -> String {
    guard let s else { return "-" }
    let mean = String(format: "%.2f", 100 * s.mean)
    return s.count > 1 ? mean + " ± " + String(format: "%.2f", 100 * s.sd) : mean
}

/// The seed groups: for each, its number of seeds and the mean ± sd of each dev metric over
/// its trials' best epochs; under them the leading group and whether its lead is clear.
func renderSeedGroups(_ s: SeedGroupsInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    renderTitle(
        "seed groups", detail: "\(s.groups.count)  mean ± sd of the best epochs, points", focused: false,
        &grid, r, options)
    guard r.height > 2 else { return }
    let metrics = SweepMetric.order(task: s.task)
    let longest = s.groups.map { $0.label.isEmpty ? 10 : $0.label.count }.max() ?? 0
    let labelWidth = max(8, min(longest + 1, r.width - 3 - 6 - 16 * metrics.count))
    func line(_ label: String, _ seeds: String, _ values: [String]) -> String {
        label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + seeds.leftPadded(6)
            + values.map { $0.leftPadded(16) }.joined()
    }
    let headers = metrics.map { ($0 == s.metric ? "*" : "") + $0.name(task: s.task) }
    grid.put(
        "   " + line("group", "seeds", headers), x: r.x, y: r.y + 1, style: CellStyle(.dim), maxWidth: r.width
    )
    let visible = max(0, r.height - 3)
    for (k, g) in s.groups.prefix(visible).enumerated() {
        let y = r.y + 2 + k
        grid.put(
            SeriesMark.key(k, unicode: options.unicode), x: r.x, y: y, style: CellStyle(SeriesMark.tone(k)))
        let values = metrics.map { meanAndSD(g.spread($0, s.rows)) }
        let leading = s.lead?.leader == k
        grid.put(
            line(g.label.isEmpty ? "all trials" : g.label, String(g.seeds.count), values), x: r.x + 3, y: y,
            style: CellStyle(leading ? .bold : .normal), maxWidth: r.width - 3)
    }
    let y = r.y + r.height - 1
    guard let lead = s.lead else {
        let why = s.groups.count < 2 ? "one group: nothing to compare" : "no group has an epoch yet"
        grid.put(why, x: r.x + 1, y: y, style: CellStyle(.dim), maxWidth: r.width - 1)
        return
    }
    let name = { (g: Int) in
        "\(SeriesMark.letter(g)) \(s.groups[g].label.isEmpty ? "all trials" : s.groups[g].label)"
    }
    let points = { (v: Double) in String(format: "%.2f", 100 * v) }
    let verdict =
        lead.clear
        ? "larger than the seed spread (sd \(points(lead.spread))): a clear lead"
        : "not larger than the seed spread (sd \(points(lead.spread))): within seed noise"
    grid.put(
        "leader \(name(lead.leader)): +\(points(lead.lead)) \(s.metric.name(task: s.task)) over \(name(lead.runnerUp)), \(verdict)",
        x: r.x + 1, y: y, style: CellStyle(lead.clear ? .good : .warning), maxWidth: r.width - 1)
}
