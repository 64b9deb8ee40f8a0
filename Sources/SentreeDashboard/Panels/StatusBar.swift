import SentreeCore

/// What the status bar shows.
struct StatusBarInput {
    var input = InputMode.none
    /// The probe being typed after `i`, which takes the line over.
    var probeInput: String? = nil
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
    if let text = s.probeInput { return renderProbeInput(text, s, &grid, y: y) }
    switch s.input {
    case .learningRate(let text):
        var x = grid.put(" learning rate: \(text)_", x: 0, y: y, style: style)
        x += grid.put("   Enter set · Esc cancel", x: x, y: y, style: style)
        if let m = s.message, s.messageIsError { grid.put("  " + m, x: x, y: y, style: CellStyle(.error, reverse: true)) }
    case .search(let text):
        grid.put(" search dev trees: \(text)_   Enter keep · Esc close", x: 0, y: y, style: style)
    case .confirmQuit:
        grid.put(" Quit? Training stops and last.safetensors is saved.  y = quit, any other key = stay ", x: 0, y: y,
                 style: CellStyle(.warning, reverse: true))
    case .none:
        if s.quitting {
            grid.put(" stopping training and saving last … ", x: 0, y: y, style: CellStyle(.warning, reverse: true))
        } else if let m = s.message {
            grid.put(" " + m, x: 0, y: y, style: CellStyle(s.messageIsError ? .error : .normal, reverse: true))
        } else if s.viewOnly {
            grid.put(viewStatusKeys(width: grid.width, unicode: options.unicode), x: 0, y: y, style: style)
        } else {
            let pause = s.paused ? "space resume" : "space pause"
            let arrows = options.unicode ? "↑↓" : "j/k"
            let keys = grid.width >= 110
                ? " \(pause)  +/- lr  l set lr  e eval  s save  Tab focus  \(arrows) move  Enter open  n/N next  / search  ? help  q quit"
                : " \(pause) +/- l lr e eval s save Tab focus \(arrows) Enter / search ? help q quit"
            grid.put(keys, x: 0, y: y, style: style)
        }
    }
}

/// The status line while a probe is typed.
func renderProbeInput(_ text: String, _ s: StatusBarInput, _ grid: inout CellGrid, y: Int) {
    let style = CellStyle(.normal, reverse: true)
    let prompt = " probe (sentence or tree): "
    let help = !s.hasProbes ? "   Enter add · Esc cancel" : "   Enter add (empty: show probes) · Esc cancel"
    // The end of a long text stays visible, as in a shell.
    let room = max(10, grid.width - prompt.count - help.count - 1)
    let shown = text.count > room ? "…" + text.suffix(room - 1) : text
    var x = grid.put(prompt + shown + "_", x: 0, y: y, style: style)
    x += grid.put(help, x: x, y: y, style: style)
    if let m = s.message, s.messageIsError {
        grid.put("  " + m, x: x, y: y, style: CellStyle(.error, reverse: true))
    }
}

/// The status bar's key list in `sentree view`.
func viewStatusKeys(width: Int, unicode: Bool) -> String {
    let arrows = unicode ? "↑↓" : "j/k"
    return width >= 110
        ? " space show/hide  Tab focus  \(arrows) move  m metric  a align  d disagree  b best/last  Enter open  "
            + "/ search  ? help  q quit"
        : " space hide Tab focus \(arrows) m metric a align d disagree b best/last / ? q quit"
}
