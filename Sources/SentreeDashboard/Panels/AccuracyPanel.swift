import Foundation
import SentreeCore

/// What the accuracy chart draws: every epoch's dev figures and which epoch is best.
struct AccuracyPanelInput {
    var epochs: [EpochPoint] = []
    var bestEpoch: Int? = nil
    var focused = false
    /// What the argmax accuracies are called: `fine`, or `3-cl` for a binary-task run's 3 classes.
    var argmax = "fine"
}

/// The accuracy panel: a compact table of the last epochs and a chart of all of them.
func renderAccuracy(_ s: AccuracyPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let best = s.bestEpoch.map { "best epoch \($0)" } ?? ""
    renderTitle("accuracy", detail: "dev %  \(best)", focused: s.focused, &grid, r, options)
    guard !s.epochs.isEmpty else {
        grid.put(
            "dev metrics appear after the first epoch", x: r.x + 1, y: r.y + 2, style: CellStyle(.dim),
            maxWidth: r.width - 1)
        return
    }
    // Table: header + up to 4 newest epochs (the best one always shown).
    let tableRows = min(4, max(1, (r.height - 2) / 2 - 1))
    // The loss column only whole: at 80 columns the panel has room for the accuracies alone.
    let withLoss = r.width >= 39
    grid.put(
        "   ep  \(s.argmax) all  root  bin root" + (withLoss ? "   loss" : ""), x: r.x, y: r.y + 1,
        style: CellStyle(.bold), maxWidth: r.width)
    var shown = Array(s.epochs.suffix(tableRows))
    if let b = s.bestEpoch, !shown.contains(where: { $0.epoch == b }),
        let point = s.epochs.first(where: { $0.epoch == b })
    {
        shown[0] = point
    }
    for (k, p) in shown.enumerated() {
        let isBest = p.epoch == s.bestEpoch
        let text =
            String(
                format: "%@%4d  %7.2f  %5.2f  %7.2f", isBest ? " *" : "  ", p.epoch,
                100 * p.fineAll, 100 * p.fineRoot, 100 * p.binaryRoot)
            + (withLoss ? String(format: "  %6.3f", p.trainLoss) : "")
        grid.put(text, x: r.x, y: r.y + 2 + k, style: CellStyle(isBest ? .good : .normal), maxWidth: r.width)
    }
    // Chart of every epoch: three series, shared auto-scaled axis.
    let top = r.y + 3 + tableRows
    let labelWidth = 8
    let plot = Rect(
        x: r.x + labelWidth, y: top, width: r.width - labelWidth, height: r.y + r.height - top - 1)
    guard plot.height >= 2, plot.width > 4 else { return }
    let series: [(String, Tone, Character, (EpochPoint) -> Double)] = [
        ("\(s.argmax) all", .normal, "a", { $0.fineAll }), ("bin root", .good, "b", { $0.binaryRoot }),
        ("\(s.argmax) root", .accent, "r", { $0.fineRoot }),
    ]
    // At most two points per dot column, so very long runs draw as fast as short ones.
    let stride = max(1, s.epochs.count / (2 * max(1, plot.width)))
    var points = Swift.stride(from: 0, to: s.epochs.count, by: stride).map { s.epochs[$0] }
    if points.last?.epoch != s.epochs.last?.epoch { points.append(s.epochs.last!) }
    let values = points.flatMap { p in series.map { $0.3(p) } }
    let low = (values.min() ?? 0) - 0.005, high = (values.max() ?? 1) + 0.005
    var canvas = Canvas(columns: plot.width, rows: plot.height, unicode: options.unicode)
    let n = points.count, w = canvas.dotWidth, h = canvas.dotHeight
    for (priority, (_, tone, mark, value)) in series.enumerated() {
        var previous: (Int, Int)? = nil
        for (i, p) in points.enumerated() {
            let x = n == 1 ? 0 : i * (w - 1) / (n - 1)
            let y = dotRow(value(p), low: low, high: high, height: h)
            if let (px, py) = previous {
                for xx in px ... x {
                    let yy = x == px ? y : py + (y - py) * (xx - px) / (x - px)
                    canvas.set(xx, yy, style: CellStyle(tone), priority: priority, mark: mark)
                }
            } else {
                canvas.set(x, y, style: CellStyle(tone), priority: priority, mark: mark)
            }
            previous = (x, y)
        }
    }
    canvas.draw(into: &grid, x: plot.x, y: plot.y)
    grid.put(
        percent(high, digits: 1).leftPadded(labelWidth - 1), x: r.x, y: plot.y,
        style: CellStyle(.dim))
    grid.put(
        percent(low, digits: 1).leftPadded(labelWidth - 1), x: r.x, y: plot.y + plot.height - 1,
        style: CellStyle(.dim))
    var x = r.x + 1
    for (name, tone, mark, _) in series {
        x += grid.put(
            (options.unicode ? "━ " : "\(mark) ") + name + " ", x: x, y: r.y + r.height - 1,
            style: CellStyle(tone), maxWidth: r.x + r.width - x)
    }
}
