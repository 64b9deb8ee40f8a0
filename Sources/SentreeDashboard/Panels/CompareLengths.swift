import Foundation
import SentreeCore

/// What the length comparison tabulates.
struct CompareLengthsInput {
    var runs: [ComparedRun]
    /// Indices of runs left out.
    var hidden: Set<Int> = []
    var viewOnly = false
    var checkpoint = CheckpointChoice.best
    var focused = false
}

/// The length comparison (`c` while runs are compared): for every shown run, root accuracy
/// by sentence length and fine accuracy of the nodes by words spanned, in buckets of ten
/// words, from each run's loaded checkpoint (the live run: its latest evaluation).
///
/// `*` marks the best run of each row, so the table reads without colour too.
func renderCompareLengths(
    _ s: CompareLengthsInput, _ grid: inout CellGrid, _ r: Rect,
    _ options: RenderOptions
) {
    let runs = s.runs.enumerated().filter { !s.hidden.contains($0.offset) }
    let source = s.viewOnly ? "\(s.checkpoint.rawValue) checkpoints" : "latest"
    renderTitle(
        "length", detail: r.width >= 50 ? "dev % by words, \(source)" : "dev % by words",
        focused: s.focused, &grid, r, options)
    guard let reference = runs.lazy.compactMap(\.element.metrics).first else {
        grid.put(
            "appears when a run has a checkpoint", x: r.x + 1, y: r.y + 2, style: CellStyle(.dim),
            maxWidth: r.width - 1)
        return
    }
    let prefix = 12, column = 8
    // Both columns per run when they fit, else root accuracy alone (the sentence-level view).
    let withFine = prefix + runs.count * 2 * column <= r.width
    let perRun = withFine ? 2 * column : column
    let fitting = max(1, (r.width - prefix) / perRun)
    let shown = Array(runs.prefix(fitting))
    var x = r.x + grid.put(" words roots", x: r.x, y: r.y + 1, style: CellStyle(.bold), maxWidth: r.width)
    for (k, run) in shown {
        x += grid.put(
            " root " + SeriesMark.key(k, unicode: options.unicode), x: x, y: r.y + 1,
            style: CellStyle(SeriesMark.tone(k)), maxWidth: max(0, r.x + r.width - x))
        if withFine {
            x += grid.put(
                "    " + argmaxLabel(run.config.sentimentTask), x: x, y: r.y + 1,
                style: CellStyle(.bold), maxWidth: max(0, r.x + r.width - x))
        }
    }
    let buckets = reference.byLength.buckets(size: 10)
    let perRunBuckets = shown.map { run in
        Dictionary(
            (run.element.metrics?.byLength.buckets(size: 10) ?? []).map { ($0.lengths.lowerBound, $0) },
            uniquingKeysWith: { a, _ in a })
    }
    let rows = r.height - 3
    for (k, b) in buckets.prefix(rows).enumerated() {
        let y = r.y + 2 + k
        let name = "\(b.lengths.lowerBound)-\(b.lengths.upperBound)"
        x =
            r.x
            + grid.put(
                name.leftPadded(6) + String(format: "%6d", b.rootsTotal), x: r.x, y: y, maxWidth: r.width)
        let roots = perRunBuckets.map { $0[b.lengths.lowerBound]?.rootAccuracy }
        let fines = perRunBuckets.map { $0[b.lengths.lowerBound]?.nodeAccuracy }
        for (i, (k, _)) in shown.enumerated() {
            x += putAccuracy(roots[i], best: roots, tone: SeriesMark.tone(k), &grid, x: x, y: y, r)
            if withFine {
                x += putAccuracy(fines[i], best: fines, tone: SeriesMark.tone(k), &grid, x: x, y: y, r)
            }
        }
    }
    let argmax = SentimentTask.allCases.filter { task in
        shown.contains { $0.element.config.sentimentTask == task }
    }
    .map(argmaxLabel).joined(separator: "/")
    var footer =
        withFine ? " root: sentences  \(argmax): all nodes  * best" : " root: sentences by length  * best"
    if shown.count < runs.count { footer = " \(runs.count - shown.count) runs do not fit; v hides runs" }
    if buckets.count > rows { footer = " … \(buckets.count - rows) longer buckets" }
    grid.put(footer, x: r.x, y: r.y + r.height - 1, style: CellStyle(.dim), maxWidth: r.width)
}

/// One accuracy cell: the percentage and `*` when it is the row's best (of two or more).
private func putAccuracy(
    _ value: Double?, best row: [Double?], tone: Tone, _ grid: inout CellGrid,
    x: Int, y: Int, _ r: Rect
) -> Int {
    let room = max(0, r.x + r.width - x)
    guard let value else { return grid.put("       -", x: x, y: y, style: CellStyle(.dim), maxWidth: room) }
    let values = row.compactMap { $0 }
    let isBest = values.count >= 2 && value == values.max() && values.contains { $0 != value }
    return grid.put(
        String(format: "%7.1f", 100 * value) + (isBest ? "*" : " "), x: x, y: y,
        style: CellStyle(tone), maxWidth: room)
}

/// What a run's argmax accuracy is called where 4 letters fit: `fine` over SST's 5 classes,
/// `3-cl` over the binary task's negative, neutral and positive.
func argmaxLabel(_ task: SentimentTask) -> String { task == .fine ? "fine" : "3-cl" }
