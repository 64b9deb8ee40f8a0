/// The tree panel: the selected dev tree in the chosen drawing.
func renderTreeArea(_ s: DashboardState, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    renderTree(s, &grid, r, options)
}
