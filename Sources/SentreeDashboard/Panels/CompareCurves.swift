import Foundation
import SentreeCore

/// The runs whose curves the overlay charts draw, and how.
struct OverlayRuns {
    var runs: [ComparedRun]
    /// Indices of runs left out.
    var hidden: Set<Int> = []
    /// The run drawn last, on top of the others.
    var picked = 0
    var alignByTime = false
    /// The live run's per-step loss, which the loss chart draws instead of its epochs.
    var live: LiveLoss? = nil

    /// The task of every run (fine when there are none), nil when they differ.
    var task: SentimentTask? {
        let tasks = Set(runs.map(\.config.sentimentTask))
        return tasks.count > 1 ? nil : tasks.first ?? .fine
    }
}

/// The per-step loss of the run being trained, and where it started.
struct LiveLoss {
    var loss: LossHistory
    var stepsPerEpoch: Int
    /// Epochs already done when the run started (non-zero when resuming).
    var startEpoch: Int
    /// Seconds since the dashboard started, for the epoch in progress before any ended.
    var elapsed: Double
}

/// What the loss overlay draws.
struct CompareLossInput {
    var overlay: OverlayRuns
    var viewOnly = false
    var logScale = false
    var focused = false
}

/// What the accuracy overlay draws.
struct CompareAccuracyInput {
    var overlay: OverlayRuns
    var metric = CompareMetric.fineRoot
    var focused = false
}

/// One curve of an overlay chart.
struct OverlaySeries {
    var run: Int
    var points: [(x: Double, y: Double)]
    /// Where the run's markers go (its epoch ends); the line runs through `points`.
    var marks: [(x: Double, y: Double)]
}

/// Training seconds at the end of each epoch: the x of each epoch when aligned by time.
func cumulativeSeconds(_ epochs: [EpochRecord]) -> [Double] {
    var total = 0.0
    return epochs.map {
        total += $0.seconds; return total
    }
}

/// The runs' curves of one kind, for the visible runs; the picked run comes last (on top).
///
/// With `inner`, a run's line also runs through its dev evaluations inside epochs
/// (`--dev-every`) at their place, as the live accuracy panel draws them; the markers stay
/// on the epoch ends.
func overlaySeries(
    _ c: OverlayRuns, value: (EpochPoint) -> Double, withSteps: Bool, inner: Bool = false
) -> [OverlaySeries] {
    var series: [OverlaySeries] = []
    for (k, run) in c.runs.enumerated() where !c.hidden.contains(k) {
        let xs = c.alignByTime ? cumulativeSeconds(run.epochs) : run.epochs.map { Double($0.epoch) }
        let marks = zip(xs, run.epochs).map { (x: $0.0, y: value(EpochPoint($0.1))) }
        var points = marks
        if inner && !run.evaluations.isEmpty {
            let ends = cumulativeSeconds(run.epochs), base = Double((run.epochs.first?.epoch ?? 1) - 1)
            points = run.accuracyPoints.map { p in
                let x =
                    c.alignByTime
                    ? trainingSeconds(at: p.at, epochs: run.epochs, ends: ends, base: base, fallbackLength: 0)
                    : p.at
                return (x: x, y: value(p))
            }
        }
        if withSteps && run.isLive, let live = c.live,
            let steps = liveStepCurve(live, epochs: run.epochs, byTime: c.alignByTime)
        {
            points = steps
        }
        series.append(OverlaySeries(run: k, points: points, marks: marks))
    }
    if let picked = series.firstIndex(where: { $0.run == c.picked }) {
        series.append(series.remove(at: picked))
    }
    return series
}

/// Training seconds at place `e`, in epochs, of a run whose logged `epochs` (with their
/// `cumulativeSeconds`, `ends`) start after `base` epochs: inside an epoch interpolated from
/// its length; past the logged epochs at the last one's length, or `fallbackLength` before any.
func trainingSeconds(
    at e: Double, epochs: [EpochRecord], ends: [Double], base: Double, fallbackLength: Double
) -> Double {
    let k = max(0, Int((e - base).rounded(.down)))  // epochs done before e
    let length = k < epochs.count ? epochs[k].seconds : epochs.last?.seconds ?? fallbackLength
    let before =
        k <= ends.count ? (k == 0 ? 0 : ends[k - 1]) : (ends.last ?? 0) + Double(k - ends.count) * length
    return before + (e - base - Double(k)) * length
}

/// The live run's smoothed per-step loss, with x in epochs (or training seconds).
///
/// A step's time is interpolated inside its epoch from that epoch's seconds; the epoch in
/// progress uses the previous epoch's length, or the elapsed time before the first one ends.
func liveStepCurve(_ s: LiveLoss, epochs: [EpochRecord], byTime: Bool) -> [(x: Double, y: Double)]? {
    let history = s.loss, perEpoch = Double(max(1, s.stepsPerEpoch))
    guard history.count > 1 else { return nil }
    let firstStep = Double(s.startEpoch) * perEpoch
    let now = (firstStep + Double(history.count)) / perEpoch
    let ends = cumulativeSeconds(epochs)
    let base = Double(s.startEpoch)
    let fallback = s.elapsed / max(now - base, 1e-9)
    return history.smoothed.indices.map { b in
        let e = (firstStep + Double(min(history.count, (b + 1) * history.bucketSize))) / perEpoch
        return (
            x: byTime
                ? trainingSeconds(at: e, epochs: epochs, ends: ends, base: base, fallbackLength: fallback)
                : e,
            y: Double(history.smoothed[b])
        )
    }
}

/// Draws curves into `plot` on shared axes, markers on top; returns the axes' ranges.
@discardableResult
func drawOverlay(
    _ series: [OverlaySeries], _ grid: inout CellGrid, _ plot: Rect, _ options: RenderOptions,
    yPadding: Double = 0, transform: (Double) -> Double = { $0 }
)
    -> (x: ClosedRange<Double>, y: ClosedRange<Double>)?
{
    let all = series.flatMap { $0.points + $0.marks }
    // Axes from finite values only; a point that is not finite is drawn in the middle.
    let xs = all.map(\.x).filter(\.isFinite)
    guard !all.isEmpty else { return nil }
    let xLow = xs.min() ?? 0, xHigh = xs.max() ?? 0
    let ys = all.map { transform($0.y) }.filter(\.isFinite)
    let yLow = (ys.min() ?? 0) - yPadding
    // Relative as well as absolute: at 1e17, adding 1e-9 changes nothing.
    let yHigh = max((ys.max() ?? 1) + yPadding, yLow + max(1e-9, abs(yLow) * 1e-9))
    var canvas = Canvas(columns: plot.width, rows: plot.height, unicode: options.unicode)
    let w = canvas.dotWidth, h = canvas.dotHeight
    func dot(_ p: (x: Double, y: Double)) -> (Int, Int) {
        (
            dotIndex(fraction(p.x, low: xLow, high: xHigh), count: w),
            dotRow(transform(p.y), low: yLow, high: yHigh, height: h)
        )
    }
    for (priority, curve) in series.enumerated() {
        let style = CellStyle(SeriesMark.tone(curve.run))
        // Without Unicode a line is its run's lower-case letter, its markers the capital.
        let lineMark = Character(SeriesMark.letter(curve.run).lowercased())
        canvas.polyline(curve.points.map(dot), style: style, priority: priority, mark: lineMark)
    }
    canvas.draw(into: &grid, x: plot.x, y: plot.y)
    // Markers: at most one every third column per run, always the newest.
    let dotsPerColumn = options.unicode ? 2 : 1, dotsPerRow = options.unicode ? 4 : 1
    for curve in series {
        let marker = String(SeriesMark.marker(curve.run, unicode: options.unicode))
        let step = max(1, curve.marks.count * 3 / max(1, plot.width))
        for (i, p) in curve.marks.enumerated() where i % step == 0 || i == curve.marks.count - 1 {
            let (x, y) = dot(p)
            grid.put(
                marker, x: plot.x + x / dotsPerColumn, y: plot.y + y / dotsPerRow,
                style: CellStyle(SeriesMark.tone(curve.run)))
        }
    }
    return (xLow ... xHigh, yLow ... yHigh)
}

/// The x axis under a chart: its two ends, as epochs or training time.
func renderXAxis(
    _ range: ClosedRange<Double>, byTime: Bool, _ grid: inout CellGrid, x: Int, y: Int, width: Int
) {
    func label(_ v: Double) -> String {
        byTime ? (v < 60 ? String(format: "%.1fs", v) : duration(v)) : "ep \(String(format: "%.0f", v))"
    }
    grid.put(label(range.lowerBound), x: x, y: y, style: CellStyle(.dim))
    let right = label(range.upperBound) + (byTime ? " trained" : "")
    grid.put(right, x: x + width - right.count, y: y, style: CellStyle(.dim))
}

/// The loss overlay: per-epoch train loss of every shown run, the live run per step.
func renderCompareLoss(_ s: CompareLossInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let live = !s.viewOnly ? "  live: smoothed per step" : ""
    renderTitle(
        "loss", detail: "train, per epoch\(live)\(s.logScale ? "  log" : "")", focused: s.focused,
        &grid, r, options)
    let labelWidth = 7
    let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth, height: r.height - 2)
    guard plot.width > 4, plot.height > 1 else { return }
    let series = overlaySeries(s.overlay, value: \.trainLoss, withSteps: true)
    let transform: (Double) -> Double = s.logScale ? { log10(max($0, 1e-6)) } : { $0 }
    guard let ranges = drawOverlay(series, &grid, plot, options, transform: transform) else {
        grid.put("no epochs yet", x: plot.x + 1, y: plot.y + plot.height / 2, style: CellStyle(.dim))
        return
    }
    let untransform: (Double) -> Double = s.logScale ? { pow(10, $0) } : { $0 }
    for (row, v) in [(0, ranges.y.upperBound), (plot.height - 1, ranges.y.lowerBound)] {
        grid.put(
            axisLabel(untransform(v)).leftPadded(labelWidth - 1), x: r.x, y: plot.y + row,
            style: CellStyle(.dim), maxWidth: labelWidth - 1)
    }
    renderXAxis(
        ranges.x, byTime: s.overlay.alignByTime, &grid, x: plot.x, y: r.y + r.height - 1,
        width: plot.width)
}

/// The accuracy overlay: one dev metric (`m`) per evaluation for every shown run (epoch ends
/// marked, evaluations inside epochs on the line at their place), and a legend.
func renderCompareAccuracy(
    _ s: CompareAccuracyInput, _ grid: inout CellGrid, _ r: Rect,
    _ options: RenderOptions
) {
    let c = s.overlay
    renderTitle(
        "accuracy", detail: "dev \(s.metric.name(task: c.task)) %\(c.alignByTime ? "  by time" : "")",
        focused: s.focused, &grid, r, options)
    let labelWidth = 7
    let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth, height: r.height - 3)
    guard plot.width > 4, plot.height > 1 else { return }
    let series = overlaySeries(c, value: { s.metric.value($0) }, withSteps: false, inner: true)
    if let ranges = drawOverlay(series, &grid, plot, options, yPadding: 0.005) {
        for (row, v) in [(0, ranges.y.upperBound), (plot.height - 1, ranges.y.lowerBound)] {
            grid.put(
                percent(v, digits: 1).leftPadded(labelWidth - 1), x: r.x, y: plot.y + row,
                style: CellStyle(.dim), maxWidth: labelWidth - 1)
        }
        renderXAxis(
            ranges.x, byTime: c.alignByTime, &grid, x: plot.x, y: plot.y + plot.height, width: plot.width)
    } else {
        grid.put("no epochs yet", x: plot.x + 1, y: plot.y + plot.height / 2, style: CellStyle(.dim))
    }
    // Legend: key and name of each shown run, names shortened to share the row.
    var x = r.x + 1
    let y = r.y + r.height - 1
    let shown = c.runs.enumerated().filter { !c.hidden.contains($0.offset) }
    let full = shown.reduce(0) { $0 + $1.element.name.count + 5 }
    let nameWidth = full <= r.width - 1 ? Int.max : max(1, (r.width - 1) / max(1, shown.count) - 5)
    // Names cut to the same start (runs named by time) would look alike: runLabels keeps them apart.
    let labels = runLabels(shown.map(\.element.name), width: nameWidth, ellipsis: "")
    for ((k, _), label) in zip(shown, labels) {
        let text = "\(SeriesMark.key(k, unicode: options.unicode)) \(label)  "
        x += grid.put(
            text, x: x, y: y, style: CellStyle(SeriesMark.tone(k)), maxWidth: max(0, r.x + r.width - x))
    }
}
