import Foundation
import SentreeCore

/// What the group curves draw.
struct GroupCurvesInput {
    var rows: [TrialRow]
    var groups: [SeedGroup]
    var metric: SweepMetric
    /// The trials' task, which names the metric.
    var task: SentimentTask? = .fine
}

/// Dev `metric` per epoch for each seed group: a band from the lowest to the highest trial
/// (dim) and the mean across seeds as a line in the group's colour, markers at epoch ends.
func renderGroupCurves(_ s: GroupCurvesInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    renderTitle(
        "curves",
        detail: "dev \(s.metric.name(task: s.task)) per epoch  line: mean  band: min–max over seeds",
        focused: false, &grid, r, options)
    let labelWidth = 7
    let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth, height: r.height - 3)
    guard plot.width > 4, plot.height > 1 else { return }
    let curves = s.groups.map { $0.curve(s.metric, s.rows) }
    let all = curves.flatMap { $0 }
    guard let xLow = all.map(\.epoch).min(), let xHigh = all.map(\.epoch).max() else {
        grid.put("no epochs yet", x: plot.x + 1, y: plot.y + plot.height / 2, style: CellStyle(.dim))
        return
    }
    let yLow = (all.map(\.spread.min).min() ?? 0) - 0.005
    let yHigh = max((all.map(\.spread.max).max() ?? 1) + 0.005, yLow + 1e-9)
    var canvas = Canvas(columns: plot.width, rows: plot.height, unicode: options.unicode)
    let w = canvas.dotWidth, h = canvas.dotHeight
    func column(_ epoch: Double) -> Int {
        xHigh > xLow ? Int(((epoch - Double(xLow)) / Double(xHigh - xLow) * Double(w - 1)).rounded()) : w / 2
    }
    func row(_ v: Double) -> Int { dotRow(v, low: yLow, high: yHigh, height: h) }
    // The bands first, one cell per column and row, in the group's colour (`░`, `:` without
    // Unicode), so the mean lines' dots drawn over them stay readable.
    let bandMark = options.unicode ? "░" : ":"
    for (g, curve) in curves.enumerated() {
        guard let first = curve.first, let last = curve.last else { continue }
        for c in 0 ..< plot.width {
            let dot = Double(c * w / plot.width + (options.unicode ? 1 : 0))
            let epoch = Double(xLow) + (xHigh > xLow ? dot / Double(w - 1) * Double(xHigh - xLow) : 0)
            guard epoch >= Double(first.epoch) - 1e-9, epoch <= Double(last.epoch) + 1e-9 else { continue }
            let k = curve.lastIndex { Double($0.epoch) <= epoch + 1e-9 } ?? 0
            let (a, b) = (curve[k], curve[min(k + 1, curve.count - 1)])
            let f = b.epoch > a.epoch ? (epoch - Double(a.epoch)) / Double(b.epoch - a.epoch) : 0
            let low = a.spread.min + (b.spread.min - a.spread.min) * f
            let high = a.spread.max + (b.spread.max - a.spread.max) * f
            let (top, bottom) = (
                dotRow(high, low: yLow, high: yHigh, height: plot.height),
                dotRow(low, low: yLow, high: yHigh, height: plot.height)
            )
            for r in top ... bottom {
                grid.put(bandMark, x: plot.x + c, y: plot.y + r, style: CellStyle(SeriesMark.tone(g)))
            }
        }
    }
    for (g, curve) in curves.enumerated() {
        let style = CellStyle(SeriesMark.tone(g))
        let mark = Character(SeriesMark.letter(g).lowercased())
        canvas.polyline(
            curve.map { (column(Double($0.epoch)), row($0.spread.mean)) }, style: style, priority: g,
            mark: mark)
    }
    canvas.draw(into: &grid, x: plot.x, y: plot.y)
    let dotsPerColumn = options.unicode ? 2 : 1, dotsPerRow = options.unicode ? 4 : 1
    for (g, curve) in curves.enumerated() {
        // The newest epoch's mean gets the group's marker.
        guard let p = curve.last else { continue }
        grid.put(
            String(SeriesMark.marker(g, unicode: options.unicode)),
            x: plot.x + column(Double(p.epoch)) / dotsPerColumn,
            y: plot.y + row(p.spread.mean) / dotsPerRow, style: CellStyle(SeriesMark.tone(g)))
    }
    for (line, v) in [(0, yHigh), (plot.height - 1, yLow)] {
        grid.put(
            percent(v, digits: 1).leftPadded(labelWidth - 1), x: r.x, y: plot.y + line,
            style: CellStyle(.dim), maxWidth: labelWidth - 1)
    }
    renderXAxis(
        Double(xLow) ... Double(xHigh), byTime: false, &grid, x: plot.x, y: plot.y + plot.height,
        width: plot.width)
    var x = r.x + 1
    for (g, group) in s.groups.enumerated() {
        let seeds = "\(group.seeds.count) seed\(group.seeds.count == 1 ? "" : "s")"
        let text =
            "\(SeriesMark.key(g, unicode: options.unicode)) \(group.label.isEmpty ? "all" : group.label) (\(seeds))  "
        x += grid.put(
            text, x: x, y: r.y + r.height - 1, style: CellStyle(SeriesMark.tone(g)),
            maxWidth: max(0, r.x + r.width - x))
    }
}
