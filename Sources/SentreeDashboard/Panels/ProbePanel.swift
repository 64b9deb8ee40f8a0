import Foundation
import SentreeCore

/// What the tree panel draws with a probe shown: the probes and which one.
struct ProbePanelInput {
    /// Never empty: without probes the tree panel shows a dev tree.
    var probes: [ProbeView]
    var shown = 0
    var drawing = TreeDrawing.indented
    var scroll = 0
    var focused = false
    /// The background parser's progress (0–1) while it trains.
    var parserProgress: Double? = nil
}

/// The tree panel with a probe shown: its tree over the list of probes.
func renderProbeArea(_ s: ProbePanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let list = probeListRect(probeCount: s.probes.count, r)
    let treeRect = Rect(x: r.x, y: r.y, width: r.width, height: r.height - list.height)
    let k = min(s.shown, s.probes.count - 1)
    let probe = s.probes[k]
    let body = treeBody(
        probe.probe.treebank, tree: 0, prediction: probe.prediction, drawing: s.drawing,
        width: r.width, options)
    let visible = treeRect.height - 1
    let scroll = max(0, min(s.scroll, body.rows - visible))
    var detail = "probe \(k + 1)/\(s.probes.count)"
    let tb = probe.probe.treebank, gold = tb.labels[tb.nodeCount - 1]
    if gold != Treebank.unlabeled { detail += "  gold \(gold)" }
    if let root = probe.prediction?.predicted.last {
        let verdict = root == gold ? (options.unicode ? "✓" : "ok") : (options.unicode ? "✗" : "X")
        detail += gold == Treebank.unlabeled ? "  pred \(root)" : " pred \(root) \(verdict)"
    }
    // After the prediction, and short in a narrow panel, so the prediction is never cut off.
    switch probe.probe.structure {
    case .given: break
    case .parsed(let f1):
        detail +=
            "  parsed" + (f1.map { " \(options.unicode ? "·" : "-") F1 " + String(format: "%.1f", $0) } ?? "")
    case .approximate:
        detail += treeRect.width >= 60 ? "  approximate structure" : "  approx. tree"
        if let p = s.parserProgress { detail += "  parser \(Int(p * 100))%" }
    }
    if probe.unknownWords > 0 { detail += "  \(probe.unknownWords) <unk>" }
    if let note = body.note { detail += "  \(note)" }
    if body.rows > visible {
        detail += "  lines \(scroll + 1)-\(min(body.rows, scroll + visible)) of \(body.rows)"
    }
    if let step = probe.predictionStep, treeRect.width > 70 { detail += "  (model at step \(step))" }
    renderTitle("tree", detail: detail, focused: s.focused, &grid, treeRect, options)
    if probe.prediction == nil && body.rows < visible {
        grid.put(
            "predictions appear with the first parameter snapshot", x: r.x + 1, y: r.y + 1 + body.rows,
            style: CellStyle(.dim), maxWidth: r.width - 1)
    }
    body.draw(&grid, Rect(x: r.x, y: r.y + 1, width: r.width, height: visible), scroll)
    renderProbeList(s, &grid, list, options)
}

/// Where the probe list sits in the tree panel `r`: its bottom rows, a title and up to a
/// third of the panel.
func probeListRect(probeCount: Int, _ r: Rect) -> Rect {
    let height = min(probeCount, max(1, (r.height - 4) / 3)) + 1
    return Rect(x: r.x, y: r.y + r.height - height, width: r.width, height: height)
}

/// The probe list: per probe its current root prediction, the root after each epoch
/// (oldest first), and its text; the shown one marked.
func renderProbeList(_ s: ProbePanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    renderTitle(
        "probes", detail: "root by epoch  n/N next  i add", focused: false,
        &grid, Rect(x: r.x, y: r.y, width: r.width, height: 1), options)
    let shown = s.shown
    let visible = r.height - 1
    let start = listWindowStart(cursor: shown, count: s.probes.count, visible: visible)
    let historyWidth = min(24, max(6, r.width / 4))
    for (row, probe) in s.probes.dropFirst(start).prefix(visible).enumerated() {
        let k = start + row, y = r.y + 1 + row
        var x = r.x
        x += grid.put(k == shown ? (options.unicode ? "▶" : ">") : " ", x: x, y: y, style: CellStyle(.accent))
        if let root = probe.prediction?.predicted.last.map(Int.init) {
            x += grid.put(
                "\(root)\(Sentiment.symbols[root])", x: x, y: y,
                style: CellStyle(.sentiment(root), reverse: true))
        } else {
            x += grid.put("?  ", x: x, y: y, style: CellStyle(.dim))
        }
        x += 1
        // Each epoch's root as one coloured digit: a flip shows as a change of digit and color.
        let history = probe.history.suffix(historyWidth)
        for entry in history {
            x += grid.put("\(entry.root)", x: x, y: y, style: CellStyle(.sentiment(entry.root)))
        }
        x += historyWidth - history.count + 1
        let text = probe.probe.structure == .given ? probe.probe.treebank.sentence(tree: 0) : probe.probe.text
        grid.put(text, x: x, y: y, maxWidth: r.x + r.width - x)
    }
}
