import Foundation
import SentreeCore

/// Where the comparison's panels go: the runs table across the top, the overlaid loss and
/// accuracy on the left, and the tree view and dev-tree browser on the right.
struct CompareAreas {
    let runs, loss, accuracy, tree, browser: Rect
    let separatorX: Int

    /// For a `width` × `height` screen (the header's `top` rows above the body, the status
    /// line below).
    init(width: Int, height: Int, runCount: Int, top: Int) {
        let body = height - top - 1
        let runsHeight = min(runCount + 2, max(4, body / 3))
        runs = Rect(x: 0, y: top, width: width, height: runsHeight)
        let bodyTop = top + runsHeight, bodyHeight = body - runsHeight
        separatorX = width * 9 / 20
        let lossHeight = bodyHeight / 2
        loss = Rect(x: 0, y: bodyTop, width: separatorX, height: lossHeight)
        accuracy = Rect(x: 0, y: bodyTop + lossHeight, width: separatorX, height: bodyHeight - lossHeight)
        let right = Rect(x: separatorX + 1, y: bodyTop, width: width - separatorX - 1, height: bodyHeight)
        let browserHeight = max(5, right.height * 2 / 5)
        tree = Rect(x: right.x, y: right.y, width: right.width, height: right.height - browserHeight)
        browser = Rect(x: right.x, y: tree.y + tree.height, width: right.width, height: browserHeight)
    }
}

extension DashboardState {
    /// The comparison's accuracy panel on a `width` × `height` screen.
    func compareAccuracyArea(width: Int, height: Int) -> Rect {
        CompareAreas(
            width: width, height: height, runCount: compareRows,
            top: headerHeight(width: width, height: height)
        ).accuracy
    }

    /// Rows the header takes: `sentree view`'s 2, `train`'s `headerRows`.
    func headerHeight(width: Int, height: Int) -> Int {
        compare?.viewOnly == true ? 2 : headerRows(setup.config, width: width, height: height)
    }

    /// Where the training dashboard's panels go on a `width` × `height` screen.
    func layout(width: Int, height: Int) -> DashboardLayout {
        DashboardLayout(width: width, height: height, top: headerHeight(width: width, height: height))
    }

    /// Rows of the runs table: a run each, and the ensemble's when there is one.
    var compareRows: Int { comparedRuns.count + (compare?.ensemble == nil ? 0 : 1) }
}

/// The body when runs are compared.
func renderCompareBody(
    _ s: DashboardState, _ c: CompareState, _ grid: inout CellGrid, _ options: RenderOptions
) {
    let a = CompareAreas(
        width: grid.width, height: grid.height, runCount: s.compareRows,
        top: s.headerHeight(width: grid.width, height: grid.height))
    renderRuns(s.runsPanelInput(c), &grid, a.runs, options)
    renderCompareLoss(s.compareLossInput(c), &grid, a.loss, options)
    switch s.views.accuracy {
    case .length: renderCompareLengths(s.compareLengthsInput(c), &grid, a.accuracy, options)
    case .confusion, .confusionNodes, .difference:
        renderConfusion(s.compareConfusionInput(c), &grid, a.accuracy, options)
    case .chart: renderCompareAccuracy(s.compareAccuracyInput(c), &grid, a.accuracy, options)
    }
    let separator: Character = options.unicode ? "│" : "|"
    for row in a.loss.y ..< a.accuracy.y + a.accuracy.height {
        grid.put(String(separator), x: a.separatorX, y: row, style: CellStyle(.dim))
    }
    renderTreeArea(s.treeAreaInput, &grid, a.tree, options)
    renderBrowser(s.browserPanelInput, &grid, a.browser, options)
}
