import SentreeCore

/// A tree drawn top-down: each node's predicted class on the row of its depth, centred over
/// its children and joined to them by a rule, and the words along the bottom row.
///
/// One row per level keeps deep SST trees short: a node's rule `┌──3──┐` sits right above its
/// children, and a leaf's stem runs down to its word.
struct TopDownDrawing {
    /// Rows of the drawing, top first; every row is `width` cells.
    private(set) var cells: [[(Character, CellStyle)]]
    let width: Int
    var height: Int { cells.count }

    /// Columns a tree needs: its words with one space between them.
    static func width(of treebank: Treebank, tree t: Int) -> Int {
        let leaves = treebank.nodes(of: t).filter { treebank.left[$0] < 0 }
        return leaves.reduce(0) {
            $0 + treebank.phrase(tree: t, node: $1 - treebank.nodes(of: t).lowerBound).count
        }
            + leaves.count - 1
    }

    init(_ treebank: Treebank, tree t: Int, prediction: TreePrediction?, unicode: Bool) {
        let r = treebank.nodes(of: t)
        let n = r.count
        // Depths from the root down (parents come after children in post-order).
        var depth = [Int](repeating: 0, count: n)
        for i in (0 ..< n).reversed() where treebank.left[r.lowerBound + i] >= 0 {
            depth[Int(treebank.left[r.lowerBound + i])] = depth[i] + 1
            depth[Int(treebank.right[r.lowerBound + i])] = depth[i] + 1
        }
        // Leaves left to right are leaves in post-order; each is centred on its word.
        var x = [Int](repeating: 0, count: n)
        var words: [(start: Int, text: String, node: Int)] = []
        var column = 0
        for i in 0 ..< n {
            let g = r.lowerBound + i
            if treebank.left[g] < 0 {
                let word = treebank.phrase(tree: t, node: i)
                words.append((column, word, i))
                x[i] = column + (word.count - 1) / 2
                column += word.count + 1
            } else {
                x[i] = (x[Int(treebank.left[g])] + x[Int(treebank.right[g])]) / 2
            }
        }
        width = max(0, column - 1)
        let levels = (depth.max() ?? 0) + 1
        let blank = (Character(" "), CellStyle())
        cells = Array(repeating: Array(repeating: blank, count: width), count: levels + 1)
        let rule = CellStyle(.dim)
        let (across, down, leftCorner, rightCorner): (Character, Character, Character, Character) =
            unicode ? ("─", "│", "┌", "┐") : ("-", "|", "+", "+")
        for i in 0 ..< n {
            let g = r.lowerBound + i
            if treebank.left[g] >= 0 {
                let (a, b) = (x[Int(treebank.left[g])], x[Int(treebank.right[g])])
                for c in a ... b { cells[depth[i]][c] = (across, rule) }
                cells[depth[i]][a] = (leftCorner, rule)
                cells[depth[i]][b] = (rightCorner, rule)
            } else {
                for row in depth[i] + 1 ..< levels { cells[row][x[i]] = (down, rule) }
            }
            let predicted = prediction.map { Int($0.predicted[i]) }
            cells[depth[i]][x[i]] =
                predicted.map { (Character(String($0)), CellStyle(.sentiment($0), reverse: true)) }
                ?? ("?", CellStyle(.dim))
        }
        for word in words {
            let tone: Tone = prediction.map { .sentiment(Int($0.predicted[word.node])) } ?? .normal
            for (k, ch) in word.text.enumerated() { cells[levels][word.start + k] = (ch, CellStyle(tone)) }
        }
    }

    /// Copies rows `scroll ..< scroll + r.height` into `r`.
    func draw(into grid: inout CellGrid, _ r: Rect, scroll: Int) {
        for (row, line) in cells.dropFirst(scroll).prefix(r.height).enumerated() {
            for (column, (ch, style)) in line.prefix(r.width).enumerated() where ch != " " {
                grid.put(String(ch), x: r.x + column, y: r.y + row, style: style)
            }
        }
    }
}

/// What the tree panel draws under its title, in the drawing the user chose.
struct TreeBody {
    /// Rows the drawing has (for scrolling and the "lines a-b of n" note).
    let rows: Int
    /// A word for the title when the drawing differs from the plain indented one.
    let note: String?
    let draw: (inout CellGrid, Rect, Int) -> Void
}

/// The body of tree `t`: top-down when that was chosen and fits `width`, else indented
/// (saying so when top-down was asked for but the tree is too wide).
func treeBody(
    _ treebank: Treebank, tree t: Int, prediction: TreePrediction?, drawing: TreeDrawing, width: Int,
    _ options: RenderOptions
) -> TreeBody {
    var note: String? = nil
    if drawing == .topDown {
        let needed = TopDownDrawing.width(of: treebank, tree: t)
        if needed <= width {
            let picture = TopDownDrawing(treebank, tree: t, prediction: prediction, unicode: options.unicode)
            return TreeBody(rows: picture.height, note: "top-down") { grid, r, scroll in
                picture.draw(into: &grid, r, scroll: scroll)
            }
        }
        note = "too wide for top-down (\(needed) columns); indented"
    }
    let lines = treeLines(treebank, tree: t)
    return TreeBody(rows: lines.count, note: note) { grid, r, scroll in
        drawIndented(
            treebank, tree: t, lines: lines, prediction: prediction, scroll: scroll, &grid, r, options)
    }
}
