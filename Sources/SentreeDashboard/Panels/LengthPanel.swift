import Foundation
import SentreeCore

/// What the length view draws: the latest evaluation's accuracy by length.
struct LengthPanelInput {
    var metrics: Metrics? = nil
    var evaluatedStep: Int? = nil
    var focused = false
    /// What the nodes' argmax accuracy is called (`argmaxLabel`): `fine`, or `3-cl`.
    var argmax = "fine"
}

/// The length view: fine accuracy of the latest evaluation by length, in buckets of ten
/// words, as CoreNLP's `-printLengthAccuracies` counts it (every node under the number of
/// words it spans), beside root accuracy by sentence length.
func renderLengths(_ s: LengthPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    var detail = "by words spanned"
    if let step = s.evaluatedStep, r.width >= 50 { detail += "  step \(step)" }
    renderTitle("length", detail: detail, focused: s.focused, &grid, r, options)
    guard let metrics = s.metrics else {
        grid.put(
            "appears after the first evaluation", x: r.x + 1, y: r.y + 2,
            style: CellStyle(.dim), maxWidth: r.width - 1)
        return
    }
    let buckets = metrics.byLength.buckets(size: 10)
    grid.put(
        " words  nodes   \(s.argmax)  roots   root", x: r.x, y: r.y + 1, style: CellStyle(.bold),
        maxWidth: r.width)
    let barX = r.x + 35, barWidth = r.x + r.width - barX - 1
    let full: Character = options.unicode ? "█" : "#", empty: Character = options.unicode ? "░" : "."
    for (k, b) in buckets.prefix(r.height - 3).enumerated() {
        let y = r.y + 2 + k
        let name = "\(b.lengths.lowerBound)-\(b.lengths.upperBound)"
        func cell(_ v: Double?) -> String {
            v.map { " " + percent($0, digits: 1).leftPadded(6) } ?? "      -"
        }
        let text =
            name.leftPadded(6) + String(format: " %6d", b.nodesTotal) + cell(b.nodeAccuracy)
            + String(format: " %6d", b.rootsTotal) + cell(b.rootAccuracy)
        grid.put(text, x: r.x, y: y, maxWidth: r.width)
        if barWidth >= 8, let accuracy = b.nodeAccuracy {
            let filled = Int((Double(barWidth) * accuracy).rounded())
            grid.put(String(repeating: full, count: filled), x: barX, y: y, style: CellStyle(.good))
            grid.put(
                String(repeating: empty, count: barWidth - filled), x: barX + filled, y: y,
                style: CellStyle(.dim))
        }
    }
    if buckets.count > r.height - 3 {
        grid.put(
            " … \(buckets.count - (r.height - 3)) longer buckets", x: r.x, y: r.y + r.height - 1,
            style: CellStyle(.dim), maxWidth: r.width)
    } else if r.height - 3 > buckets.count {
        grid.put(
            " \(s.argmax): all nodes  root: sentences", x: r.x, y: r.y + r.height - 1,
            style: CellStyle(.dim), maxWidth: r.width)
    }
}
