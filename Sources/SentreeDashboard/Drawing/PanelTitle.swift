/// Draws a panel title row: the name (highlighted when focused) and details, ruled out.
func renderTitle(
    _ title: String, detail: String, focused: Bool, _ grid: inout CellGrid, _ r: Rect,
    _ options: RenderOptions
) {
    let rule: Character = options.unicode ? "─" : "-"
    grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: rule, style: CellStyle(.dim))
    var x = r.x
    x += grid.put(
        " \(title) ", x: x, y: r.y, style: CellStyle(focused ? .accent : .bold, reverse: focused),
        maxWidth: r.width)
    // Whole parts (two spaces apart) are dropped from the end first: a count cut short, like
    // `lines 1-16 of 2`, reads as a different number.
    // The detail runs to the panel's edge after one space; its closing space may fall off.
    let room = r.x + r.width - x - 2
    var parts = detail.components(separatedBy: "  ")
    while parts.count > 1 && parts.joined(separator: "  ").count > room { parts.removeLast() }
    let shown = parts.joined(separator: "  ")
    guard !shown.isEmpty else { return }
    grid.put(" \(shown) ", x: x + 1, y: r.y, style: CellStyle(.normal), maxWidth: room + 1)
}
