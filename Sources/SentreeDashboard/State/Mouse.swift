/// A mouse event at a screen cell, decoupled from ncurses so its effect is testable.
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case click, wheelUp, wheelDown
    }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// Rows one wheel notch scrolls.
let wheelStep = 3

extension DashboardState {
    /// Applies a click or wheel turn, given the layout of the last frame's screen size.
    ///
    /// A click on a dev-tree row opens that tree, on a probe row shows that probe, anywhere
    /// else in a panel focuses it; the wheel scrolls the list or tree under the pointer (the
    /// focused one elsewhere). While a line is typed or the quit question is open, the mouse
    /// does nothing.
    mutating func handleMouse(_ event: MouseEvent) -> [Command] {
        guard views.probeInput == nil, input == .none else { return [] }
        let (width, height) = (views.screenWidth, views.screenHeight)
        if showHelp {
            switch event.kind {
            case .wheelUp: _ = scrollHelp(.up)
            case .wheelDown: _ = scrollHelp(.down)
            case .click: showHelp = false
            }
            return []
        }
        guard width >= minimumSize.width, height >= minimumSize.height else { return [] }
        let layout = self.layout(width: width, height: height)
        let panels: [(Panel, Rect)] = [
            (.browser, layout.browser), (.tree, layout.tree), (.loss, layout.loss),
            (.accuracy, layout.accuracy),
        ]
        let under = panels.first { $0.1.contains(x: event.x, y: event.y) }
        switch event.kind {
        case .wheelUp, .wheelDown:
            let delta = event.kind == .wheelUp ? -wheelStep : wheelStep
            let target = under.map(\.0).flatMap { $0 == .browser || $0 == .tree ? $0 : nil } ?? focus
            if target == .browser {
                browserCursor = max(0, min(browserRows.count - 1, browserCursor + delta))
            } else if target == .tree {
                treeScroll = max(0, treeScroll + delta)
            }
        case .click:
            guard let (panel, rect) = under else { return [] }
            focus = panel
            if panel == .browser { clickBrowser(row: event.y - rect.y - 1, rect) }
            if panel == .tree, views.shownProbe != nil, !views.probes.isEmpty {
                clickProbeList(y: event.y, probeListRect(probeCount: views.probes.count, rect))
            }
        }
        return []
    }

    /// Opens the dev tree drawn on `row` of the browser (0 = first row under the title).
    private mutating func clickBrowser(row: Int, _ rect: Rect) {
        let rows = browserRows
        let visible = rect.height - 1
        guard row >= 0, row < visible, !rows.isEmpty else { return }
        let start = listWindowStart(
            cursor: min(browserCursor, rows.count - 1), count: rows.count, visible: visible)
        guard start + row < rows.count else { return }
        browserCursor = start + row
        if views.shownProbe != nil { showDevTree() }
        openCursor()
    }

    /// Shows the probe drawn at screen row `y` of the probe list `list`.
    private mutating func clickProbeList(y: Int, _ list: Rect) {
        let row = y - list.y - 1
        let visible = list.height - 1
        guard row >= 0, row < visible else { return }
        let start = listWindowStart(
            cursor: views.shownProbe ?? 0, count: views.probes.count, visible: visible)
        if start + row < views.probes.count { showProbe(start + row) }
    }
}
