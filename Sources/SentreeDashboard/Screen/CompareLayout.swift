import Foundation
import SentreeCore

/// The body when runs are compared: the runs table across the top, the overlaid loss and
/// accuracy on the left, and the tree view and dev-tree browser on the right.
func renderCompareBody(
    _ s: DashboardState, _ c: CompareState, _ grid: inout CellGrid, top: Int, height: Int,
    _ options: RenderOptions
) {
    let runsHeight = min(s.comparedRuns.count + 2, max(4, height / 3))
    let runs = Rect(x: 0, y: top, width: grid.width, height: runsHeight)
    renderRuns(s.runsPanelInput(c), &grid, runs, options)
    let bodyTop = top + runsHeight, bodyHeight = height - runsHeight
    let leftWidth = grid.width * 9 / 20
    let lossHeight = bodyHeight / 2
    let loss = Rect(x: 0, y: bodyTop, width: leftWidth, height: lossHeight)
    renderCompareLoss(s.compareLossInput(c), &grid, loss, options)
    let accuracy = Rect(x: 0, y: bodyTop + lossHeight, width: leftWidth, height: bodyHeight - lossHeight)
    if s.views.accuracy == .length {
        renderCompareLengths(s.compareLengthsInput(c), &grid, accuracy, options)
    } else {
        renderCompareAccuracy(s.compareAccuracyInput(c), &grid, accuracy, options)
    }
    let separator: Character = options.unicode ? "│" : "|"
    for row in bodyTop ..< bodyTop + bodyHeight {
        grid.put(String(separator), x: leftWidth, y: row, style: CellStyle(.dim))
    }
    let right = Rect(x: leftWidth + 1, y: bodyTop, width: grid.width - leftWidth - 1, height: bodyHeight)
    let browserHeight = max(5, right.height * 2 / 5)
    let tree = Rect(x: right.x, y: right.y, width: right.width, height: right.height - browserHeight)
    renderTreeArea(s.treeAreaInput, &grid, tree, options)
    let browser = Rect(x: right.x, y: tree.y + tree.height, width: right.width, height: browserHeight)
    renderBrowser(s.browserPanelInput, &grid, browser, options)
}
