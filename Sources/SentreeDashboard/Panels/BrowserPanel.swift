import Foundation
import SentreeCore

/// What the dev-tree browser lists.
struct BrowserPanelInput {
    var dev: Treebank
    /// Dev tree indices in the order listed, filters and sorting applied.
    var rows: [Int]
    /// Per dev tree outcome, empty before the first evaluation.
    var outcomes: [TreeOutcome] = []
    var selectedTree = 0
    var cursor = 0
    var wrongOnly = false
    var sortByLoss = false
    var search = ""
    /// With the disagreement filter on: the other run and its outcomes, shown beside each root.
    var reference: (run: Int, outcomes: [TreeOutcome])? = nil
    var focused = false
}

/// The dev-tree browser: sentences with gold and predicted root, right/wrong mark and loss.
func renderBrowser(_ s: BrowserPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let rows = s.rows
    var detail = "\(rows.count) of \(s.dev.count)"
    if s.wrongOnly { detail += "  wrong only" }
    if s.sortByLoss { detail += "  by loss" }
    if !s.search.isEmpty { detail += "  /\(s.search)" }
    if s.outcomes.isEmpty { detail += "  (predictions after the first epoch)" }
    renderTitle("dev trees", detail: detail, focused: s.focused, &grid, r, options)
    let visible = r.height - 1
    guard !rows.isEmpty else {
        grid.put(
            s.search.isEmpty ? "no trees" : "no dev sentence contains '\(s.search)'", x: r.x + 1, y: r.y + 1,
            style: CellStyle(.dim), maxWidth: r.width - 1)
        return
    }
    let reference = s.reference
    let cursor = min(s.cursor, rows.count - 1)
    let start = listWindowStart(cursor: cursor, count: rows.count, visible: visible)
    for (k, t) in rows.dropFirst(start).prefix(visible).enumerated() {
        let y = r.y + 1 + k
        let isCursor = start + k == cursor
        var x = r.x
        x += grid.put(
            t == s.selectedTree ? (options.unicode ? "▶" : ">") : " ", x: x, y: y, style: CellStyle(.accent))
        let gold = Int(s.dev.labels[s.dev.nodes(of: t).upperBound - 1])
        if t < s.outcomes.count {
            let o = s.outcomes[t]
            let ok = o.correct
            x += grid.put(
                ok ? (options.unicode ? "✓" : "+") : (options.unicode ? "✗" : "x"), x: x, y: y,
                style: CellStyle(ok ? .good : .error))
            x += grid.put(" \(gold)", x: x, y: y, style: CellStyle(.sentiment(gold)))
            x += grid.put(options.unicode ? "→" : ">", x: x, y: y, style: CellStyle(.dim))
            x += grid.put(
                "\(o.predictedRoot)", x: x, y: y, style: CellStyle(.sentiment(Int(o.predictedRoot))))
            if let (k, other) = reference, t < other.count {
                // The disagreement filter: the other run's root beside the picked run's.
                x += grid.put(
                    " \(SeriesMark.letter(k))\(other[t].predictedRoot)", x: x, y: y,
                    style: CellStyle(SeriesMark.tone(k)))
            }
            x += grid.put(String(format: " %6.2f ", o.loss), x: x, y: y, style: CellStyle(.dim))
        } else {
            x += grid.put("  \(gold)>?        ", x: x, y: y, style: CellStyle(.dim))
        }
        grid.put(s.dev.sentence(tree: t), x: x, y: y, maxWidth: r.x + r.width - x)
        if isCursor {
            grid.restyle(
                x: r.x + 1, y: y, length: r.width - 1,
                style: CellStyle(s.focused ? .accent : .bold, reverse: s.focused))
        }
    }
}
