import Foundation
import SentreeCore

/// The body when runs are compared: the runs table across the top, the overlaid loss and
/// accuracy on the left, and the tree view and dev-tree browser on the right.
func renderCompareBody(_ s: DashboardState, _ grid: inout CellGrid, top: Int, height: Int, _ options: RenderOptions) {
    let runsHeight = min(s.comparedRuns.count + 2, max(4, height / 3))
    renderRuns(s, &grid, Rect(x: 0, y: top, width: grid.width, height: runsHeight), options)
    let bodyTop = top + runsHeight, bodyHeight = height - runsHeight
    let leftWidth = grid.width * 9 / 20
    let lossHeight = bodyHeight / 2
    renderCompareLoss(s, &grid, Rect(x: 0, y: bodyTop, width: leftWidth, height: lossHeight), options)
    let accuracy = Rect(x: 0, y: bodyTop + lossHeight, width: leftWidth, height: bodyHeight - lossHeight)
    if s.views.accuracy == .length {
        renderCompareLengths(s, &grid, accuracy, options)
    } else {
        renderCompareAccuracy(s, &grid, accuracy, options)
    }
    let separator: Character = options.unicode ? "│" : "|"
    for row in bodyTop ..< bodyTop + bodyHeight {
        grid.put(String(separator), x: leftWidth, y: row, style: CellStyle(.dim))
    }
    let right = Rect(x: leftWidth + 1, y: bodyTop, width: grid.width - leftWidth - 1, height: bodyHeight)
    let browserHeight = max(5, right.height * 2 / 5)
    renderTreeArea(s, &grid, Rect(x: right.x, y: right.y, width: right.width, height: right.height - browserHeight),
                   options)
    renderBrowser(s, &grid, Rect(x: right.x, y: right.y + right.height - browserHeight, width: right.width,
                                 height: browserHeight), options)
}

/// The header of `sentree view`: the picked run, what it is and how far it got.
func renderViewHeader(_ s: DashboardState, _ grid: inout CellGrid, _ options: RenderOptions) {
    guard let c = s.compare, c.runs.indices.contains(c.cursor) else { return }
    let run = c.runs[c.cursor]
    let conf = run.config
    var x = grid.put(" sentree ", x: 0, y: 0, style: CellStyle(.accent, reverse: true))
    x += grid.put(" VIEW ", x: x + 2, y: 0, style: CellStyle(.warning, reverse: true)) + 2
    x += grid.put("\(c.runs.count) run\(c.runs.count == 1 ? "" : "s")  ", x: x + 2, y: 0) + 2
    x += grid.put(SeriesMark.key(c.cursor, unicode: options.unicode) + " ", x: x, y: 0,
                  style: CellStyle(SeriesMark.tone(c.cursor)))
    x += grid.put(run.name, x: x, y: 0, style: CellStyle(.bold), maxWidth: 30)
    // Settings that do not fit whole are left out (the runs panel lists them), not cut.
    var details = "  \(modelDescription(run))"
    for setting in conf.settingDescriptions where x + details.count + 2 + setting.count <= grid.width {
        details += "  " + setting
    }
    grid.put(details, x: x, y: 0)

    let done = run.epochs.last?.epoch ?? 0
    let progress = conf.epochs > 0 ? min(1, Double(done) / Double(conf.epochs)) : 0
    x = grid.put(" epoch \(done)/\(conf.epochs) ", x: 0, y: 1, style: CellStyle(.bold))
    // A shorter bar at 80 columns leaves room for which checkpoint the trees come from.
    let barWidth = grid.width >= 100 ? 20 : 10, filled = Int((Double(barWidth) * progress).rounded(.down))
    let full: Character = options.unicode ? "█" : "#", empty: Character = options.unicode ? "░" : "."
    x += grid.put(String(repeating: full, count: filled), x: x, y: 1, style: CellStyle(.good))
    x += grid.put(String(repeating: empty, count: barWidth - filled), x: x, y: 1, style: CellStyle(.dim))
    let state = done >= conf.epochs ? "finished" : grid.width >= 100 ? "following metrics.jsonl" : "following"
    let trained = duration(run.epochs.reduce(0) { $0 + $1.seconds })
    let trees = run.checkpointNote.map { "  trees: \($0)" } ?? ""
    grid.put(String(format: " %3.0f%%  %@  %@ trained%@  run %@", 100 * progress, state, trained, trees, run.path),
             x: x, y: 1, style: CellStyle(.normal))
}

/// The status bar's key list in `sentree view`.
func viewStatusKeys(width: Int, unicode: Bool) -> String {
    let arrows = unicode ? "↑↓" : "j/k"
    return width >= 110
        ? " space show/hide  Tab focus  \(arrows) move  m metric  a align  d disagree  b best/last  Enter open  "
            + "/ search  ? help  q quit"
        : " space hide Tab focus \(arrows) m metric a align d disagree b best/last / ? q quit"
}
