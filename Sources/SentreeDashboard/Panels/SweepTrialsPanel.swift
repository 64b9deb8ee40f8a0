import Foundation
import SentreeCore

/// What the sweep view's trials table draws.
struct TrialsTableInput {
    var rows: [TrialRow]
    /// Row indices in the order shown.
    var order: [Int]
    /// The seed group of each row (its key letter and colour).
    var groupOf: [Int]
    var sort: TrialSort
    var metric: SweepMetric
    /// Position of the highlighted trial in `order`.
    var cursor: Int
    /// The trials' task, which names the metrics and orders them.
    var task: SentimentTask? = .fine
}

/// The trials table: group key, the varying settings, seed, status, epochs done and the dev
/// metrics of the best epoch; the sorted-by column is marked.
func renderTrialsTable(_ s: TrialsTableInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    renderTitle(
        "trials", detail: "\(s.rows.count)  sorted by \(sortName(s))  s: sort  m: metric", focused: true,
        &grid, r, options)
    guard r.height > 2 else { return }
    let metrics = SweepMetric.order(task: s.task)
    // The best evaluation's place (`ep 12`, or `ep 8.25` inside an epoch with --dev-every),
    // two spaces clear of the metric before it.
    func bestText(_ row: TrialRow) -> String { row.best.map { "ep \($0.place)" } ?? "" }
    let bestWidth = max(7, 2 + (s.rows.map { bestText($0).count }.max() ?? 0))
    // Fixed columns from the right; the settings label takes what is left.
    let fixed = 3 + 1 + 7 + 8 + 7 + 9 * metrics.count + bestWidth
    let longest = s.rows.map { ($0.label.isEmpty ? $0.name : $0.label).count }.max() ?? 0
    let labelWidth = max(8, min(longest + 1, r.width - fixed))
    func cells(
        _ key: String, _ label: String, _ seed: String, _ status: String, _ epoch: String, _ m: [String],
        _ best: String
    ) -> String {
        key + " " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0).prefix(labelWidth)
            + seed.leftPadded(5) + "  " + status.padding(toLength: 8, withPad: " ", startingAt: 0)
            + epoch.leftPadded(7) + m.map { $0.leftPadded(9) }.joined() + best.leftPadded(bestWidth)
    }
    let headers = metrics.map { ($0 == s.metric ? "*" : "") + $0.shortName(task: s.task) }
    grid.put(
        cells("   ", "settings", "seed", "status", "epoch", headers, "best"), x: r.x, y: r.y + 1,
        style: CellStyle(.dim), maxWidth: r.width)
    let visible = r.height - 2
    let start = listWindowStart(cursor: s.cursor, count: s.order.count, visible: visible)
    for (line, position) in (start ..< min(s.order.count, start + visible)).enumerated() {
        let row = s.rows[s.order[position]], g = s.groupOf[s.order[position]]
        let best = row.best
        let values = metrics.map { m in best.map { percent(m.value($0)) } ?? "-" }
        let epoch = row.epochsTotal > 0 ? "\(row.epochs.count)/\(row.epochsTotal)" : "\(row.epochs.count)"
        let text = cells(
            "", row.label.isEmpty ? row.name : row.label, String(row.seed), row.status.rawValue, epoch,
            values, bestText(row))
        let y = r.y + 2 + line
        let selected = position == s.cursor
        let key = SeriesMark.key(g, unicode: options.unicode)
        grid.put(key, x: r.x, y: y, style: CellStyle(SeriesMark.tone(g)))
        grid.put(text, x: r.x + 3, y: y, style: CellStyle(.normal, reverse: selected), maxWidth: r.width - 3)
        let statusX = r.x + 3 + 1 + labelWidth + 7
        grid.restyle(x: statusX, y: y, length: 8, style: CellStyle(statusTone(row.status), reverse: selected))
    }
}

func statusTone(_ status: TrialStatus) -> Tone {
    switch status {
    case .running: .accent
    case .done: .good
    case .failed: .error
    case .stopped: .warning
    case .queued: .dim
    }
}

private func sortName(_ s: TrialsTableInput) -> String {
    s.sort == .metric ? "best \(s.metric.name(task: s.task))" : s.sort.name
}
