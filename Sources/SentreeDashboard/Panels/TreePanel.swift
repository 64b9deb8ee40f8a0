import Foundation
import SentreeCore

/// One line of the tree view: a node at a depth.
struct TreeLine {
    let node: Int  // local index in the tree
    let depth: Int
}

/// The nodes of tree `t` in reading order (pre-order, left first) with their depths.
func treeLines(_ dev: Treebank, tree t: Int) -> [TreeLine] {
    let r = dev.nodes(of: t)
    var out: [TreeLine] = []
    out.reserveCapacity(r.count)
    var stack = [TreeLine(node: r.count - 1, depth: 0)]
    while let line = stack.popLast() {
        out.append(line)
        let g = r.lowerBound + line.node
        if dev.left[g] >= 0 {
            stack.append(TreeLine(node: Int(dev.right[g]), depth: line.depth + 1))
            stack.append(TreeLine(node: Int(dev.left[g]), depth: line.depth + 1))
        }
    }
    return out
}

/// What the tree panel draws for a dev tree.
struct TreePanelInput {
    var dev: Treebank
    var selectedTree = 0
    /// Predictions for `selectedTree`, from the snapshot at `predictionStep`.
    var prediction: TreePrediction? = nil
    var predictionStep: Int? = nil
    var drawing = TreeDrawing.indented
    var scroll = 0
    var focused = false
}

/// The tree view: one node per line, indented by depth, colored by predicted class.
func renderTree(_ s: TreePanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let dev = s.dev
    guard dev.count > 0 else {
        renderTitle("tree", detail: "no dev trees", focused: s.focused, &grid, r, options)
        return
    }
    let t = min(s.selectedTree, dev.count - 1)
    let nodes = dev.nodes(of: t)
    let gold = dev.labels[nodes.upperBound - 1]
    let body = treeBody(dev, tree: t, prediction: s.prediction, drawing: s.drawing, width: r.width, options)
    let visible = r.height - 1
    let scroll = max(0, min(s.scroll, body.rows - visible))
    var detail = "\(t + 1)/\(dev.count)  gold \(gold)"
    if let p = s.prediction, let root = p.predicted.last {
        detail +=
            " pred \(root) \(root == gold ? (options.unicode ? "✓" : "ok") : (options.unicode ? "✗" : "X"))"
    }
    if let note = body.note { detail += "  \(note)" }
    if body.rows > visible {
        detail += "  lines \(scroll + 1)-\(min(body.rows, scroll + visible)) of \(body.rows)"
    }
    if let step = s.predictionStep, r.width > 70 { detail += "  (model at step \(step))" }
    renderTitle("tree", detail: detail, focused: s.focused, &grid, r, options)
    body.draw(&grid, Rect(x: r.x, y: r.y + 1, width: r.width, height: visible), scroll)
}

/// Draws `lines` of tree `t` from `scroll` on, one node per row, indented by depth and
/// coloured by `prediction` (grey `?` without one), with `✗g` where the gold label differs.
func drawIndented(
    _ treebank: Treebank, tree t: Int, lines: [TreeLine], prediction: TreePrediction?, scroll: Int,
    _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions
) {
    let nodes = treebank.nodes(of: t)
    let maxIndent = max(4, r.width / 3)
    for (row, line) in lines.dropFirst(scroll).prefix(r.height).enumerated() {
        let y = r.y + row
        var x = r.x
        let indent = min(line.depth * 2, maxIndent)
        if line.depth * 2 > maxIndent {
            x += grid.put(String(line.depth).leftPadded(indent), x: x, y: y, style: CellStyle(.dim))
        } else {
            x += indent
        }
        let g = nodes.lowerBound + line.node
        let predicted = prediction.map { Int($0.predicted[line.node]) }
        let tone: Tone = predicted.map { .sentiment($0) } ?? .dim
        let mark = predicted.map { "\($0)\(Sentiment.symbols[$0])" } ?? "?  "
        x += grid.put(
            mark, x: x, y: y, style: CellStyle(tone, reverse: predicted != nil), maxWidth: r.x + r.width - x)
        let label = treebank.labels[g]
        if let predicted, label != Treebank.unlabeled, Int(label) != predicted {
            x += grid.put(
                options.unicode ? " ✗\(label)" : " x\(label)", x: x, y: y, style: CellStyle(.error),
                maxWidth: r.x + r.width - x)
        }
        x += 1
        if let p = prediction, let predicted {
            let probability = String(format: "%.2f ", p.probabilities[line.node][predicted])
            x += grid.put(probability, x: x, y: y, style: CellStyle(.dim), maxWidth: r.x + r.width - x)
        }
        grid.put(
            treebank.phrase(tree: t, node: line.node), x: x, y: y, style: CellStyle(tone),
            maxWidth: r.x + r.width - x)
    }
}
