import SentreeCore

/// One row of the help overlay: a key (empty on continuation rows) and a piece of its text.
struct HelpRow: Equatable {
    var key: String
    var text: String
    var dim = false
}

/// The help overlay's box on a screen of the given size, and its rows wrapped to fit it.
struct HelpLayout {
    static let keyWidth = 22
    var box: Rect
    var rows: [HelpRow]
    /// Rows of `rows` that fit between the title and the bottom edge.
    var visible: Int { box.height - 2 }
    var maxScroll: Int { max(0, rows.count - visible) }

    /// Keys that steer training, left out of the help of `sentree view`, which trains nothing.
    static let trainingKeys: Set<String> = ["space, p", "+ / -", "l", "e", "s"]

    init(width: Int, height: Int, viewOnly: Bool = false) {
        let w = min(width - 4, 100)
        let textWidth = max(10, w - Self.keyWidth - 1)
        var rows: [HelpRow] = []
        for (key, what) in keyReference where !(viewOnly && Self.trainingKeys.contains(key)) {
            for (k, piece) in wrapWords(what, width: textWidth).enumerated() {
                rows.append(HelpRow(key: k == 0 ? key : "", text: piece))
            }
        }
        let colors =
            "colors: "
            + Sentiment.names.enumerated().map {
                "\(Sentiment.symbols[$0.offset].trimmingCharacters(in: .whitespaces)) \($0.element)"
            }.joined(separator: ", ")
        rows.append(HelpRow(key: "", text: ""))
        for piece in wrapWords(colors, width: w - 2) { rows.append(HelpRow(key: "", text: piece, dim: true)) }
        self.rows = rows
        let h = min(height - 2, rows.count + 3)
        box = Rect(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
    }
}

/// Splits `text` at spaces into lines of at most `width` characters; a word longer than
/// `width` is cut into pieces, so nothing is ever lost at an edge.
func wrapWords(_ text: String, width: Int) -> [String] {
    let width = max(1, width)
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        var word = Substring(word)
        if !line.isEmpty && line.count + 1 + word.count <= width {
            line += " " + word
            continue
        }
        if !line.isEmpty { lines.append(line) }
        while word.count > width {
            lines.append(String(word.prefix(width)))
            word = word.dropFirst(width)
        }
        line = String(word)
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
}

/// What the help overlay needs besides the screen's size.
struct HelpOverlayInput {
    /// `sentree view`, whose help leaves out the training keys.
    var viewOnly = false
    var scroll = 0
}

/// Draws the help overlay: every key with its description wrapped, scrolled when it does
/// not fit the screen.
func renderHelp(_ s: HelpOverlayInput, _ grid: inout CellGrid, _ options: RenderOptions) {
    let layout = HelpLayout(width: grid.width, height: grid.height, viewOnly: s.viewOnly)
    let b = layout.box
    let scroll = max(0, min(s.scroll, layout.maxScroll))
    grid.fill(x: b.x, y: b.y, width: b.width, height: b.height, style: CellStyle(.normal))
    var detail = "any other key closes"
    if layout.maxScroll > 0 {
        let arrows = options.unicode ? "↑↓" : "j/k"
        detail =
            "\(arrows) PgUp PgDn scroll  rows \(scroll + 1)-\(min(layout.rows.count, scroll + layout.visible)) "
            + "of \(layout.rows.count)  other keys close"
    }
    renderTitle(
        "keys", detail: detail, focused: true, &grid, Rect(x: b.x, y: b.y, width: b.width, height: 1), options
    )
    for (k, row) in layout.rows.dropFirst(scroll).prefix(layout.visible).enumerated() {
        let y = b.y + 2 + k
        if row.dim {
            grid.put(" " + row.text, x: b.x, y: y, style: CellStyle(.dim), maxWidth: b.width)
            continue
        }
        grid.put(" " + row.key, x: b.x, y: y, style: CellStyle(.bold), maxWidth: HelpLayout.keyWidth)
        grid.put(row.text, x: b.x + HelpLayout.keyWidth, y: y, maxWidth: b.width - HelpLayout.keyWidth - 1)
    }
}

/// Every key, as the help overlay lists them.
public let keyReference: [(String, String)] = [
    ("space, p", "pause / resume training (takes effect at the next minibatch)"),
    ("+ / -", "learning rate × 1.5 / ÷ 1.5"),
    ("l", "type an exact learning rate (Enter sets, Esc cancels)"),
    ("e", "evaluate dev now"),
    ("s", "save last.safetensors now"),
    ("x", "add 10 epochs to the run, also after it finished (then steer on with + - l)"),
    ("Tab, Shift-Tab", "move focus: dev trees, tree, loss, accuracy"),
    ("↑ ↓, j k, PgUp PgDn", "move in the focused list / scroll the tree"),
    ("Enter", "open the dev tree under the cursor"),
    ("n / N", "next / previous dev tree"),
    ("/", "search dev sentences (Enter keeps the filter, empty clears)"),
    ("w", "show wrong predictions only"),
    ("o", "sort dev trees by loss"),
    ("[ / ]", "less / more smoothing of the loss curve"),
    ("g", "log-scale loss axis"),
    ("i", "add a probe: type a sentence or a PTB tree; its tree follows the model as it trains"),
    (
        "n / N (probe shown)",
        "next / previous probe; Enter on the dev trees goes back to them, i Enter to the probes"
    ),
    ("D (probe shown)", "delete the shown probe, from the run's probes.txt too"),
    (
        "typing a line",
        "← → Ctrl-A Ctrl-E move; Ctrl-U Ctrl-W Ctrl-K delete to the start, a word, to the end; "
            + "↑↓ earlier lines; Esc cancels"
    ),
    ("c", "accuracy panel: chart, confusion matrix of the latest evaluation, accuracy by length"),
    ("t", "tree drawing: indented, or top-down when the tree fits the panel's width"),
    ("mouse", "click a dev tree to open it; the wheel scrolls the list or tree under the pointer"),
    ("Tab to runs, ↑↓", "runs panel (view, --compare): pick a run; view shows its trees"),
    ("space (view), v", "show / hide the picked run's curves; r folds the runs away (train)"),
    ("m  a  d  b", "compared runs: next dev metric; align by time; trees where runs disagree; best / last"),
    ("c (runs)", "compared runs: curves → confusion → change from the other run → lengths"),
    ("?", "this help (↑↓ PgUp PgDn scroll it when it does not fit)"),
    ("q", "quit (asks while training; saves last first)"),
]
