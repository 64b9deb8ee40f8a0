/// What the tree panel shows: a probe when one is shown, else the selected dev tree.
enum TreeAreaInput {
    case devTree(TreePanelInput)
    case probe(ProbePanelInput)
}

func renderTreeArea(_ input: TreeAreaInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    switch input {
    case .devTree(let tree): renderTree(tree, &grid, r, options)
    case .probe(let probe): renderProbeArea(probe, &grid, r, options)
    }
}
