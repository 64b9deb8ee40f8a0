import Foundation
import SentreeCore

/// Rows a matrix block takes: its header and one row per class.
private let blockHeight = 6
/// Columns a matrix block takes: row label, five cells, recall.
private let blockWidth = 35

/// What the confusion view draws: the latest evaluation's counts, or (compared runs) the
/// picked run's, or how they differ from a reference run's.
struct ConfusionPanelInput {
    var metrics: Metrics? = nil
    var evaluatedStep: Int? = nil
    /// Whether the all-nodes matrix is shown when only one fits (else the roots').
    var allNodes = false
    var focused = false
    /// Compared runs: the picked run's label, shown in the title.
    var run: String? = nil
    /// Compared runs: the run the picked one is compared with; cells then hold the picked
    /// run's count minus this one's, and the recall column the difference in points.
    var reference: (name: String, metrics: Metrics?)? = nil
    /// What the next `c` shows, for the title's hint.
    var next = "length"
}

/// Whether both matrices fit the accuracy panel (stacked or side by side).
func confusionFitsBoth(_ r: Rect) -> Bool {
    r.height >= 1 + 2 * blockHeight || (r.width >= 2 * blockWidth + 1 && r.height >= 1 + blockHeight)
}

/// The confusion view: the latest evaluation's matrices, gold classes down, predictions
/// across; each cell holds its count and is shaded by its share of the row.
func renderConfusion(_ s: ConfusionPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let both = confusionFitsBoth(r)
    // The single-run view keeps its titles; compared runs have more views, so say what is next.
    var detail =
        both
        ? (s.run == nil ? "roots and all nodes" : "roots + all  (c: \(s.next))")
        : s.allNodes ? "all nodes  (c: \(s.run == nil ? "length" : s.next))" : "roots  (c: all nodes)"
    if let step = s.evaluatedStep { detail += "  step \(step)" }
    let title = s.reference == nil ? "confusion" : "confusion change"
    if let run = s.run {
        // Labels are "A name": in a narrow panel the letters alone, so both runs stay named.
        let letters = s.reference.map { "\(run.prefix(1)) − \($0.name.prefix(1))" } ?? String(run.prefix(1))
        let names = s.reference.map { "\(run) − \($0.name)" } ?? run
        let room = r.width - title.count - 4
        detail = (names.count <= room ? names : letters) + "  " + detail
    }
    renderTitle(title, detail: detail, focused: s.focused, &grid, r, options)
    guard let metrics = s.metrics, s.reference == nil || s.reference?.metrics != nil else {
        let missing = s.metrics == nil ? s.run : s.reference?.name
        grid.put(
            missing.map { "no dev predictions from \($0) yet" } ?? "appears after the first evaluation",
            x: r.x + 1, y: r.y + 2, style: CellStyle(.dim), maxWidth: r.width - 1)
        return
    }
    let reference = s.reference?.metrics
    var blocks: [(String, ConfusionTable, ConfusionTable?)] = [
        ("roots", metrics.rootNodes, reference?.rootNodes), ("all", metrics.allNodes, reference?.allNodes),
    ]
    if !both { blocks = [s.allNodes ? blocks[1] : blocks[0]] }
    let sideBySide = both && r.height < 1 + 2 * blockHeight
    for (k, (name, table, other)) in blocks.enumerated() {
        let x = sideBySide ? r.x + k * (blockWidth + 1) : r.x
        let y = sideBySide ? r.y + 1 : r.y + 1 + k * blockHeight
        let width = min(blockWidth, r.x + r.width - x)
        if let other {
            renderDifference(name, table, other, &grid, x: x, y: y, width: width)
        } else {
            renderMatrix(name, table, &grid, x: x, y: y, width: width, options)
        }
    }
    let used = 1 + (sideBySide ? 1 : blocks.count) * blockHeight
    if r.height > used {
        let legends =
            reference == nil
            ? [" rows gold, columns predicted"]
            : [
                " rows gold, columns predicted; green: the picked run does better",
                " rows gold, columns predicted; green: better", " green: the picked run does better",
            ]
        let legend = legends.first { $0.count <= r.width } ?? legends[legends.count - 1]
        grid.put(legend, x: r.x, y: r.y + r.height - 1, style: CellStyle(.dim), maxWidth: r.width)
    }
}

/// How the picked run's matrix differs from the reference run's, cell by cell: more on the
/// diagonal or fewer off it is the picked run doing better (green), the opposite red.
private func renderDifference(
    _ name: String, _ table: ConfusionTable, _ other: ConfusionTable, _ grid: inout CellGrid, x: Int, y: Int,
    width: Int
) {
    renderClassGrid(name, classes: table.classes, &grid, x: x, y: y, width: width) { g, p in
        let change = table.counts[g][p] - other.counts[g][p]
        let better = g == p ? change > 0 : change < 0
        return (signed(change), CellStyle(change == 0 ? .dim : better ? .good : .error))
    } recall: { g in
        guard let mine = table.recall[g], let theirs = other.recall[g] else { return ("", CellStyle()) }
        let points = Int(((mine - theirs) * 100).rounded())
        return (signed(points), CellStyle(points == 0 ? .dim : points > 0 ? .good : .error))
    }
}

/// A count change in at most five characters: +12, -3, 0, +12k.
private func signed(_ n: Int) -> String { n == 0 ? "0" : (n > 0 ? "+" : "-") + abbreviated(abs(n)) }

/// One matrix: a header row, then a row per gold class with counts and the class's recall.
private func renderMatrix(
    _ name: String, _ table: ConfusionTable, _ grid: inout CellGrid, x: Int, y: Int, width: Int,
    _ options: RenderOptions
) {
    renderClassGrid(name, classes: table.classes, &grid, x: x, y: y, width: width) { g, p in
        let rate = table.rate(gold: g, predicted: p) ?? 0
        return (abbreviated(table.counts[g][p]), CellStyle(.shade(rate == 0 ? 0 : min(4, 1 + Int(rate * 4)))))
    } recall: { g in
        let neutral = Int(SentimentTask.of(classes: table.classes).neutral)
        return (
            table.recall[g].map { percent($0, digits: 0) } ?? "-", CellStyle(g == neutral ? .normal : .dim)
        )
    }
}

/// A class-by-class block: the header row (`name`, then each predicted class, then `rec`),
/// then a row per gold class with its cells and its recall cell, each right-aligned in five.
/// Classes are numbered as the model's; a binary-task model's 3 (negative, neutral, positive)
/// take the symbols and colours of SST's 1, 2 and 3.
private func renderClassGrid(
    _ name: String, classes: Int, _ grid: inout CellGrid, x: Int, y: Int, width: Int,
    cell: (_ gold: Int, _ predicted: Int) -> (String, CellStyle), recall: (_ gold: Int) -> (String, CellStyle)
) {
    let task = SentimentTask.of(classes: classes)
    let shown = (0 ..< classes).map { Int(task.displayClass(UInt8($0))) }
    var header = name.padding(toLength: 5, withPad: " ", startingAt: 0)
    for p in 0 ..< classes {
        header += "\(p)\(Sentiment.symbols[shown[p]].trimmingCharacters(in: .whitespaces))".leftPadded(5)
    }
    grid.put(header + "  rec", x: x, y: y, style: CellStyle(.bold), maxWidth: width)
    for g in 0 ..< classes {
        let row = y + 1 + g
        var column =
            x
            + grid.put(
                " \(g)\(Sentiment.symbols[shown[g]]) ", x: x, y: row, style: CellStyle(.sentiment(shown[g])),
                maxWidth: width)
        for p in 0 ..< classes {
            let (text, style) = cell(g, p)
            column += grid.put(
                text.leftPadded(5), x: column, y: row, style: style, maxWidth: x + width - column)
        }
        let (text, style) = recall(g)
        grid.put(text.leftPadded(5), x: column, y: row, style: style, maxWidth: x + width - column)
    }
}

/// A count in at most four characters: 9999, then 12k.
func abbreviated(_ n: Int) -> String {
    n < 10_000 ? "\(n)" : n < 1_000_000 ? "\(n / 1000)k" : "\(n / 1_000_000)M"
}
