import Foundation
import SentreeCore

/// Rows a matrix block takes: its header and one row per class.
private let blockHeight = 6
/// Columns a matrix block takes: row label, five cells, recall.
private let blockWidth = 35

/// What the confusion view draws: the latest evaluation's counts.
struct ConfusionPanelInput {
    var metrics: Metrics? = nil
    var evaluatedStep: Int? = nil
    /// Whether the all-nodes matrix is shown when only one fits (else the roots').
    var allNodes = false
    var focused = false
}

/// Whether both matrices fit the accuracy panel (stacked or side by side).
func confusionFitsBoth(_ r: Rect) -> Bool {
    r.height >= 1 + 2 * blockHeight || (r.width >= 2 * blockWidth + 1 && r.height >= 1 + blockHeight)
}

/// The confusion view: the latest evaluation's matrices, gold classes down, predictions
/// across; each cell holds its count and is shaded by its share of the row.
func renderConfusion(_ s: ConfusionPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let both = confusionFitsBoth(r)
    var detail =
        both
        ? "roots and all nodes"
        : s.allNodes ? "all nodes  (c: length)" : "roots  (c: all nodes)"
    if let step = s.evaluatedStep { detail += "  step \(step)" }
    renderTitle("confusion", detail: detail, focused: s.focused, &grid, r, options)
    guard let metrics = s.metrics else {
        grid.put(
            "appears after the first evaluation", x: r.x + 1, y: r.y + 2,
            style: CellStyle(.dim), maxWidth: r.width - 1)
        return
    }
    var blocks: [(String, ConfusionTable)] = [("roots", metrics.rootNodes), ("all", metrics.allNodes)]
    if !both { blocks = [s.allNodes ? blocks[1] : blocks[0]] }
    let sideBySide = both && r.height < 1 + 2 * blockHeight
    for (k, (name, table)) in blocks.enumerated() {
        let x = sideBySide ? r.x + k * (blockWidth + 1) : r.x
        let y = sideBySide ? r.y + 1 : r.y + 1 + k * blockHeight
        renderMatrix(name, table, &grid, x: x, y: y, width: min(blockWidth, r.x + r.width - x), options)
    }
    let used = 1 + (sideBySide ? 1 : blocks.count) * blockHeight
    if r.height > used {
        grid.put(
            " rows gold, columns predicted", x: r.x, y: r.y + r.height - 1,
            style: CellStyle(.dim), maxWidth: r.width)
    }
}

/// One matrix: a header row, then a row per gold class with counts and the class's recall.
private func renderMatrix(
    _ name: String, _ table: ConfusionTable, _ grid: inout CellGrid, x: Int, y: Int, width: Int,
    _ options: RenderOptions
) {
    var header = name.padding(toLength: 5, withPad: " ", startingAt: 0)
    for p in 0 ..< table.classes {
        header += "\(p)\(Sentiment.symbols[p].trimmingCharacters(in: .whitespaces))".leftPadded(5)
    }
    grid.put(header + "  rec", x: x, y: y, style: CellStyle(.bold), maxWidth: width)
    for g in 0 ..< table.classes {
        let row = y + 1 + g
        var column =
            x
            + grid.put(
                " \(g)\(Sentiment.symbols[g]) ",
                x: x, y: row, style: CellStyle(.sentiment(g)), maxWidth: width)
        for p in 0 ..< table.classes {
            let rate = table.rate(gold: g, predicted: p) ?? 0
            let shade = rate == 0 ? 0 : min(4, 1 + Int(rate * 4))
            column += grid.put(
                abbreviated(table.counts[g][p]).leftPadded(5), x: column, y: row,
                style: CellStyle(.shade(shade)), maxWidth: x + width - column)
        }
        let recall = table.recall[g].map { percent($0, digits: 0).leftPadded(5) } ?? "    -"
        grid.put(
            recall, x: column, y: row, style: CellStyle(g == 2 ? .normal : .dim), maxWidth: x + width - column
        )
    }
}

/// A count in at most four characters: 9999, then 12k.
func abbreviated(_ n: Int) -> String {
    n < 10_000 ? "\(n)" : n < 1_000_000 ? "\(n / 1000)k" : "\(n / 1_000_000)M"
}
