/// The tree panel: a probe when one is shown, else the selected dev tree.
func renderTreeArea(_ s: DashboardState, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    if s.views.shownProbe != nil, !s.views.probes.isEmpty {
        renderProbeArea(s, &grid, r, options)
    } else {
        renderTree(s, &grid, r, options)
    }
}
