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

/// Draws the whole dashboard: a pure function of the state and the terminal size.
public func render(
    _ state: DashboardState, width: Int, height: Int, options: RenderOptions = RenderOptions()
) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    guard width >= minimumSize.width, height >= minimumSize.height else {
        renderTooSmall(&grid, training: state.compare?.viewOnly != true)
        if !options.unicode { grid.makeASCII() }
        return grid
    }
    if let c = state.compare, c.viewOnly {
        renderViewHeader(state.viewHeaderInput(c), &grid, options)
    } else {
        renderHeader(state.headerInput, &grid, options)
    }
    if let c = state.compare, c.showRuns {
        renderCompareBody(state, c, &grid, options)
        renderStatus(state.statusBarInput, &grid, options)
        if state.showHelp { renderHelp(state.helpOverlayInput, &grid, options) }
        if !options.unicode { grid.makeASCII() }
        return grid
    }
    let layout = state.layout(width: width, height: height)
    renderLoss(state.lossPanelInput, &grid, layout.loss, options)
    renderAccuracyArea(state, &grid, layout.accuracy, options)
    let separator: Character = options.unicode ? "│" : "|"
    for row in layout.loss.y ..< layout.accuracy.y + layout.accuracy.height {
        grid.put(String(separator), x: layout.separatorX, y: row, style: CellStyle(.dim))
    }
    renderTreeArea(state.treeAreaInput, &grid, layout.tree, options)
    renderBrowser(state.browserPanelInput, &grid, layout.browser, options)
    renderStatus(state.statusBarInput, &grid, options)
    if state.showHelp { renderHelp(state.helpOverlayInput, &grid, options) }
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
        grid.put(
            line, x: max(0, (grid.width - line.count) / 2), y: y,
            style: CellStyle(k == 0 ? .warning : .normal))
    }
}

/// The accuracy panel in the view the user picked.
func renderAccuracyArea(_ s: DashboardState, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    switch s.views.accuracy {
    case .chart, .difference: renderAccuracy(s.accuracyPanelInput, &grid, r, options)
    case .confusion, .confusionNodes: renderConfusion(s.confusionPanelInput, &grid, r, options)
    case .length: renderLengths(s.lengthPanelInput, &grid, r, options)
    }
}
