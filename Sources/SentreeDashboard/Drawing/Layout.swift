/// A panel's rectangle on screen.
struct Rect {
    var x, y, width, height: Int
}

/// Where each panel sits on a screen of a given size: shared by `render`, by views that
/// adapt to their room (help, confusion) and by the mouse, which maps a click to a panel.
struct DashboardLayout {
    var loss, accuracy, tree, browser: Rect
    /// The column of the vertical rule between the left and right halves.
    var separatorX: Int

    /// `top`: the rows the header takes (`DashboardState.headerHeight`).
    init(width: Int, height: Int, top: Int) {
        let bodyTop = top, bodyHeight = height - top - 1
        let leftWidth = width * 9 / 20
        let lossHeight = bodyHeight / 2
        let browserHeight = max(7, bodyHeight * 2 / 5)
        let right = Rect(x: leftWidth + 1, y: bodyTop, width: width - leftWidth - 1, height: bodyHeight)
        loss = Rect(x: 0, y: bodyTop, width: leftWidth, height: lossHeight)
        accuracy = Rect(x: 0, y: bodyTop + lossHeight, width: leftWidth, height: bodyHeight - lossHeight)
        tree = Rect(x: right.x, y: right.y, width: right.width, height: right.height - browserHeight)
        browser = Rect(
            x: right.x, y: right.y + right.height - browserHeight, width: right.width, height: browserHeight)
        separatorX = leftWidth
    }
}

extension Rect {
    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }
}

/// First row shown of a list of `count` rows with `visible` on screen, keeping `cursor`
/// near the middle: shared by the drawing and the mouse, so a click lands on what was drawn.
func listWindowStart(cursor: Int, count: Int, visible: Int) -> Int {
    max(0, min(cursor - visible / 2, count - visible))
}
