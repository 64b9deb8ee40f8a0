import Foundation
import SentreeCore

/// Terminal capabilities that change what is drawn (colors are the backend's business).
public struct RenderOptions: Sendable, Equatable {
    /// Braille charts, box and block glyphs; off without a UTF-8 locale.
    public var unicode: Bool
    public init(unicode: Bool = true) { self.unicode = unicode }
}

/// Smallest size at which every panel fits.
public let minimumSize = (width: 80, height: 24)

/// A panel's rectangle on screen.
struct Rect {
    var x, y, width, height: Int
}

/// Draws the whole dashboard: a pure function of the state and the terminal size.
public func render(_ state: DashboardState, width: Int, height: Int, options: RenderOptions = RenderOptions()) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    guard width >= minimumSize.width, height >= minimumSize.height else {
        renderTooSmall(&grid, training: state.compare?.viewOnly != true)
        if !options.unicode { grid.makeASCII() }
        return grid
    }
    if state.compare?.viewOnly == true { renderViewHeader(state, &grid, options) } else { renderHeader(state, &grid, options) }
    if state.compare?.showRuns == true {
        renderCompareBody(state, &grid, top: 2, height: height - 3, options)
        renderStatus(state, &grid, options)
        if state.showHelp { renderHelp(state, &grid, options) }
        if !options.unicode { grid.makeASCII() }
        return grid
    }
    let layout = DashboardLayout(width: width, height: height)
    renderLoss(state, &grid, layout.loss, options)
    renderAccuracyArea(state, &grid, layout.accuracy, options)
    let separator: Character = options.unicode ? "│" : "|"
    for row in layout.loss.y ..< layout.accuracy.y + layout.accuracy.height {
        grid.put(String(separator), x: layout.separatorX, y: row, style: CellStyle(.dim))
    }
    renderTreeArea(state, &grid, layout.tree, options)
    renderBrowser(state, &grid, layout.browser, options)
    renderStatus(state, &grid, options)
    if state.showHelp { renderHelp(state, &grid, options) }
    if !options.unicode { grid.makeASCII() }
    return grid
}

func renderTooSmall(_ grid: inout CellGrid, training: Bool = true) {
    let lines = [
        "Terminal too small: \(grid.width)x\(grid.height).",
        "Enlarge it to at least \(minimumSize.width)x\(minimumSize.height).",
        training ? "Training continues; q quits." : "q quits.",
    ]
    for (k, line) in lines.enumerated() {
        let y = grid.height / 2 - 1 + k
        grid.put(line, x: max(0, (grid.width - line.count) / 2), y: y, style: CellStyle(k == 0 ? .warning : .normal))
    }
}

/// Draws a panel title row: the name (highlighted when focused) and details, ruled out.
func renderTitle(_ title: String, detail: String, focused: Bool, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let rule: Character = options.unicode ? "─" : "-"
    grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: rule, style: CellStyle(.dim))
    var x = r.x
    x += grid.put(" \(title) ", x: x, y: r.y, style: CellStyle(focused ? .accent : .bold, reverse: focused), maxWidth: r.width)
    if !detail.isEmpty { grid.put(" \(detail) ", x: x + 1, y: r.y, style: CellStyle(.normal), maxWidth: r.x + r.width - x - 1) }
}

func renderHeader(_ s: DashboardState, _ grid: inout CellGrid, _ options: RenderOptions) {
    let c = s.setup.config
    let model = c.shapeDescription
    var banner: String? = nil
    if let failure = s.writeFailure {
        // Stays up until a save succeeds: a full disk must not scroll out of sight.
        let text = failure.consecutive > 1 ? " SAVE FAILING ×\(failure.consecutive) " : " SAVE FAILED "
        banner = options.unicode ? text : text.replacing("×", with: "x")
    }
    var x = grid.put(" sentree ", x: 0, y: 0, style: CellStyle(.accent, reverse: true))
    // The settings, most telling first: the model always, each later one only if the state
    // label (and a save banner) still fit after it, so a narrow terminal drops the last
    // settings, never the state.
    var settings = [model] + c.settingDescriptions
    if let e = s.setup.embeddings {
        // Which vectors, and how many words they cover.
        let name = ((e.file as NSString).lastPathComponent as NSString).deletingPathExtension
        settings.append(String(format: "%@ %.0f%% words", name, 100 * Double(e.wordsFound) / Double(max(e.words, 1))))
    }
    let reserved = x + s.trainer.rawValue.count + 2 + (banner?.count ?? 0)
    var details = "  "
    for (k, setting) in settings.enumerated() {
        if k > 0 && reserved + details.count + setting.count + 2 > grid.width { break }
        details += setting + "  "
    }
    x += grid.put(details, x: x, y: 0)
    let stateTone: Tone = switch s.trainer {
    case .running, .starting: .good
    case .paused, .evaluating: .warning
    case .done: .accent
    case .stopped, .failed, .diverged: .error
    }
    x += grid.put(" \(s.trainer.rawValue) ", x: x, y: 0, style: CellStyle(stateTone, reverse: true))
    if let banner { x += 1 + grid.put(banner, x: x + 1, y: 0, style: CellStyle(.error, reverse: true)) }
    grid.put("  run \(s.setup.runDirectory)", x: x, y: 0, style: CellStyle(.dim))

    let epochText = "epoch \(max(s.epoch, s.setup.startEpoch))/\(c.epochs)  step \(s.stepInEpoch)/\(s.setup.stepsPerEpoch) "
    let percent = String(format: " %3.0f%%", 100 * s.progress)
    let eta = " ETA \(etaText(s))"
    let rest = String(format: "  %.0f trees/s  lr %@  %@", s.treesPerSecond, formatRate(s.learningRate), duration(s.elapsed))
    let barWidth = max(6, min(30, grid.width - epochText.count - percent.count - eta.count - rest.count - 3))
    x = grid.put(" " + epochText, x: 0, y: 1, style: CellStyle(.bold))
    let filled = Int((Double(barWidth) * s.progress).rounded(.down))
    let full: Character = options.unicode ? "█" : "#", empty: Character = options.unicode ? "░" : "."
    x += grid.put(String(repeating: full, count: filled), x: x, y: 1, style: CellStyle(.good))
    x += grid.put(String(repeating: empty, count: barWidth - filled), x: x, y: 1, style: CellStyle(.dim))
    x += grid.put(percent + eta, x: x, y: 1)
    grid.put(rest, x: x, y: 1)
}

/// Remaining time from the current throughput, or "--" before there is one.
func etaText(_ s: DashboardState) -> String {
    if s.trainer.isFinal { return "0:00" }
    guard s.treesPerSecond > 0 else { return "--" }
    let c = s.setup.config
    let remainingSteps = (1 - s.progress) * Double(c.epochs * s.setup.stepsPerEpoch)
    return duration(remainingSteps * Double(c.batchSize) / s.treesPerSecond)
}

/// `m:ss`, or `h:mm:ss` past an hour.
func duration(_ seconds: Double) -> String {
    let t = Int(max(0, seconds).rounded())
    return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
}

func renderStatus(_ s: DashboardState, _ grid: inout CellGrid, _ options: RenderOptions) {
    let y = grid.height - 1
    grid.fill(x: 0, y: y, width: grid.width, height: 1, style: CellStyle(.normal, reverse: true))
    let style = CellStyle(.normal, reverse: true)
    if let text = s.views.probeInput { return renderProbeInput(text, s, &grid, y: y) }
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
        } else if s.compare?.viewOnly == true {
            grid.put(viewStatusKeys(width: grid.width, unicode: options.unicode), x: 0, y: y, style: style)
        } else {
            let pause = s.trainer == .paused ? "space resume" : "space pause"
            let arrows = options.unicode ? "↑↓" : "j/k"
            let keys = grid.width >= 110
                ? " \(pause)  +/- lr  l set lr  e eval  s save  Tab focus  \(arrows) move  Enter open  n/N next  / search  ? help  q quit"
                : " \(pause) +/- l lr e eval s save Tab focus \(arrows) Enter / search ? help q quit"
            grid.put(keys, x: 0, y: y, style: style)
        }
    }
}

/// Every key, as the help overlay lists them.
public let keyReference: [(String, String)] = [
    ("space, p", "pause / resume training (takes effect at the next minibatch)"),
    ("+ / -", "learning rate × 1.5 / ÷ 1.5"),
    ("l", "type an exact learning rate (Enter sets, Esc cancels)"),
    ("e", "evaluate dev now"),
    ("s", "save last.safetensors now"),
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
    ("n / N (probe shown)", "next / previous probe; Enter on the dev trees goes back to them, i Enter to the probes"),
    ("c", "accuracy panel: chart, confusion matrix of the latest evaluation, accuracy by length"),
    ("t", "tree drawing: indented, or top-down when the tree fits the panel's width"),
    ("mouse", "click a dev tree to open it; the wheel scrolls the list or tree under the pointer"),
    ("Tab to runs, ↑↓", "runs panel (view, --compare): pick a run; view shows its trees"),
    ("space (view), v", "show / hide the picked run's curves; r folds the runs away (train)"),
    ("m  a  d  b", "compared runs: next dev metric; align by time; trees where runs disagree; best / last"),
    ("c (runs)", "compared runs: curves, or each run's accuracy by sentence length side by side"),
    ("?", "this help (↑↓ PgUp PgDn scroll it when it does not fit)"),
    ("q", "quit (asks while training; saves last first)"),
]
