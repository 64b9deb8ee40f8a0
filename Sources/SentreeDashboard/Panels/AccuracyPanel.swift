import Foundation
import SentreeCore

/// What the accuracy chart draws: every evaluation's dev figures (epoch ends, and with
/// `--dev-every` the ones inside epochs) and where the best one is (`EpochPoint.at`).
struct AccuracyPanelInput {
    var epochs: [EpochPoint] = []
    var best: Double? = nil
    var focused = false
    /// What the argmax accuracies are called: `fine`, or `3-cl` for a binary-task run's 3 classes.
    var argmax = "fine"
}

/// The accuracy panel: a compact table of the last epochs and a chart of all of them.
func renderAccuracy(_ s: AccuracyPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let best = s.best.map { "best epoch \(epochLabel($0))" } ?? ""
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
    if let b = s.best, !shown.contains(where: { $0.at == b }),
        let point = s.epochs.first(where: { $0.at == b })
    {
        shown[0] = point
    }
    for (k, p) in shown.enumerated() {
        let isBest = p.at == s.best
        let text =
            String(
                format: "%@%@  %7.2f  %5.2f  %7.2f", isBest ? " *" : "  ", epochLabel(p.at).leftPadded(4),
                100 * p.fineAll, 100 * p.fineRoot, 100 * p.binaryRoot)
            // An evaluation inside an epoch has no epoch's mean loss.
            + (withLoss ? (p.position == nil ? String(format: "  %6.3f", p.trainLoss) : "       -") : "")
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
    if points.last?.at != s.epochs.last?.at { points.append(s.epochs.last!) }
    let values = points.flatMap { p in series.map { $0.3(p) } }
    let low = (values.min() ?? 0) - 0.005, high = (values.max() ?? 1) + 0.005
    var canvas = Canvas(columns: plot.width, rows: plot.height, unicode: options.unicode)
    let w = canvas.dotWidth, h = canvas.dotHeight
    // Points sit at their place in epochs, so evaluations inside an epoch fall between its
    // neighbours' ends (for whole epochs one after another this is the index's place).
    let first = points.first!.at, span = points.last!.at - first
    for (priority, (_, tone, mark, value)) in series.enumerated() {
        var previous: (Int, Int)? = nil
        for p in points {
            let x = span <= 0 ? 0 : Int(((p.at - first) * Double(w - 1) / span).rounded(.down))
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

/// An evaluation's place as the accuracy panel writes it: `3` for the end of epoch 3,
/// `2.25` a quarter into epoch 3.
func epochLabel(_ at: Double) -> String {
    at == at.rounded() && abs(at) < 1e9 ? "\(Int(at))" : String(format: "%.2f", at)
}
