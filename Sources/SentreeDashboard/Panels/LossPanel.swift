import Foundation

/// What the loss panel draws.
struct LossPanelInput {
    var loss: LossHistory
    var logScale = false
    /// Steps at which an epoch ended (x-axis marks).
    var epochEnds: [Int] = []
    /// The newest step, the x axis's right end.
    var step = 0
    var focused = false
}

/// The loss panel: raw per-step loss (dim, min–max per column) and its debiased EMA (bright).
///
/// Works on `LossHistory`'s buckets, so a frame costs the same whatever the run's length.
func renderLoss(_ s: LossPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let history = s.loss
    let last = history.last.map { String(format: "%.4f", $0) } ?? "-"
    renderTitle(
        "loss",
        detail:
            "\(last)  EMA \(String(format: "%.2f", history.smoothing))\(s.logScale ? " log" : "")  \(options.unicode ? "┴" : "|") epoch",
        focused: s.focused, &grid, r, options)
    let labelWidth = 8
    let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth, height: r.height - 2)
    guard plot.width > 2, plot.height > 1 else { return }
    guard history.count > 1 else {
        grid.put(
            "waiting for the first steps…", x: plot.x + 1, y: plot.y + plot.height / 2, style: CellStyle(.dim)
        )
        return
    }
    var canvas = Canvas(columns: plot.width, rows: plot.height, unicode: options.unicode)
    let buckets = history.lows.count, w = canvas.dotWidth
    let transform: (Double) -> Double = s.logScale ? { log10(max($0, 1e-6)) } : { $0 }
    var lows = [Double](repeating: .infinity, count: w), highs = [Double](repeating: -.infinity, count: w)
    var smooth = [Double](repeating: .nan, count: w)
    for b in 0 ..< buckets {
        let column = min(w - 1, b * w / buckets)
        lows[column] = min(lows[column], transform(Double(history.lows[b])))
        highs[column] = max(highs[column], transform(Double(history.highs[b])))
        smooth[column] = transform(Double(history.smoothed[b]))
    }
    let finite = lows.filter(\.isFinite) + highs.filter(\.isFinite)
    let low = finite.min() ?? 0, high = max(finite.max() ?? 1, low + 1e-9)
    let h = canvas.dotHeight
    for column in 0 ..< w where lows[column].isFinite {
        canvas.vertical(
            column, dotRow(lows[column], low: low, high: high, height: h),
            dotRow(highs[column], low: low, high: high, height: h), style: CellStyle(.dim), priority: 0,
            mark: ".")
    }
    var previous: Int? = nil
    for column in 0 ..< w where !smooth[column].isNaN {
        let y = dotRow(smooth[column], low: low, high: high, height: h)
        canvas.vertical(column, previous ?? y, y, style: CellStyle(.accent), priority: 1, mark: "*")
        previous = y
    }
    canvas.draw(into: &grid, x: plot.x, y: plot.y)
    let untransform: (Double) -> Double = s.logScale ? { pow(10, $0) } : { $0 }
    for (row, v) in [(0, high), (plot.height / 2, (high + low) / 2), (plot.height - 1, low)] {
        grid.put(
            axisLabel(untransform(v)).leftPadded(labelWidth - 1), x: r.x, y: plot.y + row,
            style: CellStyle(.dim), maxWidth: labelWidth - 1)
    }
    // x axis: epoch marks (when they fit) and the step range.
    let axisY = r.y + r.height - 1
    let n = history.count
    if s.epochEnds.count <= plot.width / 2 {
        let tick: Character = options.unicode ? "┴" : "|"
        for end in s.epochEnds where end < n {
            grid.put(String(tick), x: plot.x + end * plot.width / n, y: axisY, style: CellStyle(.dim))
        }
    }
    grid.put("step 1", x: plot.x, y: axisY, style: CellStyle(.dim))
    let right = "\(s.step)"
    grid.put(right, x: plot.x + plot.width - right.count, y: axisY, style: CellStyle(.dim))
}
