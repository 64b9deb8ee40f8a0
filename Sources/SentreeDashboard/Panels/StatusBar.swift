import SentreeCore

/// What the status bar shows.
struct StatusBarInput {
    var input = InputMode.none
    /// The probe being typed after `i`, which takes the line over.
    var probeInput: LineEditor? = nil
    var hasProbes = false
    var message: String? = nil
    var messageIsError = false
    var quitting = false
    /// `sentree view`, which lists its own keys.
    var viewOnly = false
    var paused = false
}

/// The bottom line: the line being typed, a question, a message, or the keys.
func renderStatus(_ s: StatusBarInput, _ grid: inout CellGrid, _ options: RenderOptions) {
    let y = grid.height - 1
    grid.fill(x: 0, y: y, width: grid.width, height: 1, style: CellStyle(.normal, reverse: true))
    let style = CellStyle(.normal, reverse: true)
    // ncurses never draws the bottom-right cell (see Terminal.draw): a cut must end before it.
    let lastColumn = grid.width - 1
    if let line = s.probeInput { return renderProbeInput(line, s, &grid, y: y) }
    switch s.input {
    case .learningRate(let line):
        var x = grid.put(" learning rate: ", x: 0, y: y, style: style)
        x += putLine(line, &grid, x: x, y: y, room: 25)
        x += grid.put("   Enter set · Esc cancel", x: x, y: y, style: style)
        if let m = s.message, s.messageIsError {
            grid.put("  " + m, x: x, y: y, style: CellStyle(.error, reverse: true), maxWidth: lastColumn - x)
        }
    case .search(let line):
        var x = grid.put(" search dev trees: ", x: 0, y: y, style: style)
        x += putLine(line, &grid, x: x, y: y, room: 41)
        grid.put("   Enter keep · Esc cancel", x: x, y: y, style: style)
    case .confirmQuit:
        let question =
            grid.width >= 90
            ? " Quit? Training stops and last.safetensors is saved.  y = quit, any other key = stay "
            : " Quit? Training stops, last is saved.  y quit · other key stays "
        grid.put(question, x: 0, y: y, style: CellStyle(.warning, reverse: true), maxWidth: lastColumn)
    case .none:
        if s.quitting {
            grid.put(
                " stopping training and saving last … ", x: 0, y: y, style: CellStyle(.warning, reverse: true)
            )
        } else if let m = s.message {
            let tone: Tone = s.messageIsError ? .error : .normal
            grid.put(" " + m, x: 0, y: y, style: CellStyle(tone, reverse: true), maxWidth: lastColumn)
        } else if s.viewOnly {
            grid.put(viewStatusKeys(width: grid.width, unicode: options.unicode), x: 0, y: y, style: style)
        } else {
            let pause = s.paused ? "space resume" : "space pause"
            let arrows = options.unicode ? "↑↓" : "j/k"
            let keys =
                grid.width >= 110
                ? " \(pause)  +/- lr  l set lr  e eval  s save  Tab focus  \(arrows) move  Enter open  n/N next  / search  ? help  q quit"
                : " \(pause) +/- l lr e eval s save Tab focus \(arrows) Enter / search ? help q quit"
            grid.put(keys, x: 0, y: y, style: style)
        }
    }
}

/// The status line while a probe is typed.
func renderProbeInput(_ line: LineEditor, _ s: StatusBarInput, _ grid: inout CellGrid, y: Int) {
    let style = CellStyle(.normal, reverse: true)
    let prompt = " probe (sentence or tree): "
    let help = !s.hasProbes ? "   Enter add · Esc cancel" : "   Enter add (empty: show probes) · Esc cancel"
    var x = grid.put(prompt, x: 0, y: y, style: style)
    x += putLine(line, &grid, x: x, y: y, room: max(10, grid.width - prompt.count - help.count - 1))
    x += grid.put(help, x: x, y: y, style: style)
    if let m = s.message, s.messageIsError {
        // ncurses never draws the bottom-right cell (see Terminal.draw): a cut must end before it.
        grid.put("  " + m, x: x, y: y, style: CellStyle(.error, reverse: true), maxWidth: grid.width - 1 - x)
    }
}

/// Draws an edited line in at most `room` columns (the text and a cell for the cursor after
/// it) on the reverse-video status bar; returns the columns used.
///
/// The cursor is a cell out of reverse video, or `_` after the text. A text longer than the
/// room scrolls to keep the cursor in sight, the end in view while typing at it, as in a
/// shell, and `…` marks a side that is cut.
@discardableResult
func putLine(_ line: LineEditor, _ grid: inout CellGrid, x: Int, y: Int, room: Int) -> Int {
    let style = CellStyle(.normal, reverse: true)
    let text = line.characters, cursor = line.cursor
    let cells = text.count + 1
    let room = max(2, room)
    let start = cells <= room ? 0 : max(0, min(cells - room, cursor - room / 2))
    let end = min(cells, start + room)
    for k in start ..< end {
        let column = x + k - start
        var ch: Character = k < text.count ? text[k] : cursor == text.count ? "_" : " "
        if (k == start && start > 0) || (k == end - 1 && end < cells) { ch = "…" }
        if k == cursor && k < text.count {
            grid.put(String(ch), x: column, y: y, style: CellStyle(.normal))
        } else {
            grid.put(String(ch), x: column, y: y, style: style)
        }
    }
    return end - start
}

/// The status bar's key list in `sentree view`.
func viewStatusKeys(width: Int, unicode: Bool) -> String {
    let arrows = unicode ? "↑↓" : "j/k"
    return width >= 110
        ? " space show/hide  Tab focus  \(arrows) move  m metric  a align  d disagree  b best/last  Enter open  "
            + "/ search  ? help  q quit"
        : " space hide Tab focus \(arrows) m metric a align d disagree b best/last / ? q quit"
}
