/// Draws a panel title row: the name (highlighted when focused) and details, ruled out.
func renderTitle(_ title: String, detail: String, focused: Bool, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let rule: Character = options.unicode ? "─" : "-"
    grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: rule, style: CellStyle(.dim))
    var x = r.x
    x += grid.put(" \(title) ", x: x, y: r.y, style: CellStyle(focused ? .accent : .bold, reverse: focused), maxWidth: r.width)
    if !detail.isEmpty { grid.put(" \(detail) ", x: x + 1, y: r.y, style: CellStyle(.normal), maxWidth: r.x + r.width - x - 1) }
}
