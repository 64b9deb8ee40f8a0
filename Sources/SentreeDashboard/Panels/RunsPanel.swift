import Foundation
import SentreeCore

/// A column of the runs table; columns of lower `priority` stay when the terminal is narrow.
struct RunColumn: Sendable {
    let title: String
    var width: Int
    var priority: Int
    let value: @Sendable (ComparedRun) -> String
    /// The dev figure a metric column shows (nil for a setting), and the one task whose runs
    /// have it (nil: every run's).
    var measure: CompareMetric? = nil
    var task: SentimentTask? = nil
}

/// `80.71` for a fraction, or blank before the first epoch.
private func percentCell(_ e: BestEvaluation?, _ metric: (BestEvaluation) -> Double) -> String {
    e.map { String(format: "%.2f", 100 * metric($0)) } ?? "-"
}

/// The model and its widths, with the pretrained vectors and their coverage when it had any.
func modelDescription(_ run: ComparedRun) -> String {
    var text = run.config.shapeDescription
    // The vectors by the first part of their file name (`glove` of glove.6B.50d.txt).
    func short(_ file: String) -> String {
        String((file as NSString).lastPathComponent.split(separator: ".").first?.prefix(10) ?? "vectors")
    }
    if let e = run.embeddings {
        let coverage = 100 * Double(e.wordsFound) / Double(max(e.words, 1))
        text += String(format: " +%@ %.0f%%", short(e.file), coverage)
    } else if let file = run.config.embeddings {
        text += " +" + short(file)
    }
    return text
}

/// A rate in at most 6 characters, for the table: `0.008`, `1e-5`, `2.5e-5`, `1e12`
/// (`formatRate`'s `1.00e-05` lost its exponent to the column's width). Drops significant
/// digits until it fits.
func compactRate(_ rate: Double) -> String {
    // `1.5e-05` → `1.5e-5`, `1e+12` → `1e12`.
    func tidy(_ s: String) -> String {
        guard let e = s.firstIndex(of: "e") else { return s }
        return s[..<e] + "e\(Int(s[s.index(after: e)...]) ?? 0)"
    }
    for digits in stride(from: 3, through: 1, by: -1) {
        for form in ["%.\(digits)g", "%.\(digits - 1)e"] {
            let s = tidy(String(format: form, rate))
            if s.count <= 6 { return s }
        }
    }
    return tidy(String(format: "%.0e", rate))
}

/// The run's learning rate, `0.008`, or where a change took it, `0.008→0.005`: a rate set
/// while training (keys, `--resume --lr`) is a change, never the run's setting.
func learningRateCell(_ run: ComparedRun) -> String {
    let start = run.config.learningRate
    let now = run.epochs.last?.learningRate ?? start
    return now == start ? compactRate(start) : compactRate(start) + "→" + compactRate(now)
}

/// A column of the best evaluation's `measure`, blank in the rows of runs of another task than
/// `task`: the same figure means 5-class accuracy in a fine run and 3-class accuracy in a
/// binary one, so a table that mixes them shows each in its own column.
func metricColumn(
    _ title: String, _ measure: CompareMetric, priority: Int, task: SentimentTask? = nil
) -> RunColumn {
    RunColumn(
        title: title, width: max(6, title.count), priority: priority,
        value: { run in
            task == nil || run.config.sentimentTask == task ? percentCell(run.best) { measure.value($0) } : ""
        }, measure: measure, task: task)
}

/// The argmax accuracies' columns of runs of `task`: `f.all f.root` for the 5 classes,
/// `3c.all 3c.root` for the binary task's negative / neutral / positive.
func argmaxColumns(_ task: SentimentTask) -> [RunColumn] {
    let prefix = task == .fine ? "f" : "3c"
    return [
        metricColumn(prefix + ".all", .fineAll, priority: 1, task: task),
        metricColumn(prefix + ".root", .fineRoot, priority: 0, task: task),
    ]
}

/// The table's columns after the name, in display order, for `runs`: the argmax accuracies of
/// each task among them (fine when there are none).
func runColumns(_ runs: [ComparedRun]) -> [RunColumn] {
    let tasks = Set(runs.map(\.config.sentimentTask))
    let argmax = SentimentTask.allCases.filter { tasks.isEmpty ? $0 == .fine : tasks.contains($0) }
    return settingAndBestColumns + argmax.flatMap(argmaxColumns) + [
        metricColumn("b.root", .binaryRoot, priority: 0),
        metricColumn("b.all", .binaryAll, priority: 1),
    ]
}

/// The runs' settings, their progress and where their best evaluation fell.
private let settingAndBestColumns: [RunColumn] = [
    RunColumn(title: "model", width: 34, priority: 0) { modelDescription($0) },
    RunColumn(title: "opt", width: 7, priority: 5) { $0.config.optimizer.rawValue },
    RunColumn(title: "lr", width: 13, priority: 3) { learningRateCell($0) },
    RunColumn(title: "l2", width: 6, priority: 3) { compactRate($0.config.l2) },
    RunColumn(title: "dropout", width: 9, priority: 4) { $0.config.dropoutCell },
    RunColumn(title: "batch", width: 5, priority: 4) { "\($0.config.batchSize)" },
    RunColumn(title: "seed", width: 4, priority: 4) { "\($0.config.seed)" },
    RunColumn(title: "epochs", width: 9, priority: 2) { "\($0.epochs.last?.epoch ?? 0)/\($0.config.epochs)" },
    // `8.25` for a best evaluation a quarter into epoch 9 (`--dev-every`), as train wrote it.
    RunColumn(title: "best", width: 6, priority: 0) { $0.best?.place ?? "-" },
]

/// The columns that hold a run's settings (the rest are results).
let settingColumns: Set<String> = ["model", "opt", "lr", "l2", "dropout", "batch", "seed"]

/// Which columns fit in `width` and how wide the name and model columns get. Columns are
/// as narrow as their title and `runs`' values allow, up to their own width.
///
/// A setting in which the runs differ is what tells them apart (two seeds look identical
/// without `seed`), so it is kept before any other column; then the headline metrics (fine
/// root or the binary task's 3-class root, binary root) and the best epoch; then the model,
/// which gives up width (down to 8) rather than push those out; then the all-nodes figures,
/// and the other settings.
func runLayout(width: Int, runs: [ComparedRun]) -> (columns: [RunColumn], name: Int) {
    let markWidth = 5, nameMin = 12, modelMin = 8
    let fitted = runColumns(runs).map { column in
        let widest = runs.map { column.value($0).count }.max() ?? 0
        let differs =
            runs.count > 1 && settingColumns.contains(column.title) && column.title != "model"
            && Set(runs.map(column.value)).count > 1
        var narrow = column
        narrow.width = min(column.width, max(column.title.count, widest))
        if differs { narrow.priority = -1 }
        return narrow
    }
    var chosen: [String: Int] = [:]
    var used = markWidth + nameMin
    func choose(_ columns: [RunColumn]) {
        let ranked = columns.sorted { $0.priority < $1.priority }
        for column in ranked where used + column.width + 1 <= width {
            chosen[column.title] = column.width
            used += column.width + 1
        }
    }
    choose(fitted.filter { $0.title != "model" && $0.priority <= 0 })
    if let model = fitted.first(where: { $0.title == "model" }) {
        let room = min(model.width, width - used - 1)
        if room >= min(model.width, modelMin) {
            chosen[model.title] = room
            used += room + 1
        }
    }
    choose(fitted.filter { $0.title != "model" && $0.priority > 0 })
    let name = nameMin + max(0, min(width - used, 16))
    let columns = fitted.compactMap { c in
        chosen[c.title].map { width in
            var column = c
            column.width = width
            return column
        }
    }
    return (columns, name)
}

/// Labels for `names` in `width` columns that tell them apart: the names when they fit,
/// else their starts, else their ends (runs named by time differ at the end), cut with
/// `ellipsis`.
func runLabels(_ names: [String], width: Int, ellipsis: String) -> [String] {
    if names.allSatisfy({ $0.count <= width }) { return names }
    let keep = max(1, width - ellipsis.count)
    let distinct = Set(names).count
    let starts = names.map { $0.count <= width ? $0 : String($0.prefix(keep)) + ellipsis }
    if Set(starts).count == distinct { return starts }
    let ends = names.map { $0.count <= width ? $0 : ellipsis + String($0.suffix(keep)) }
    return Set(ends).count == distinct ? ends : starts
}

/// What the runs table lists.
struct RunsPanelInput {
    var runs: [ComparedRun]
    /// Indices of runs hidden from the curves.
    var hidden: Set<Int> = []
    var cursor = 0
    var viewOnly = false
    var checkpoint = CheckpointChoice.best
    /// The picked run and the reference of the disagreement filter, when it is on.
    var disagreement: (picked: Int, reference: Int)? = nil
    var focused = false
    /// The runs as one seed ensemble (`sentree view`), shown as a last row.
    var ensemble: EnsembleSummary? = nil
}

/// The runs table: one row per run with its key (glyph, letter, colour), settings and the
/// dev metrics of its best epoch. The cursor picks the run whose trees are shown in `view`.
func renderRuns(_ s: RunsPanelInput, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let runs = s.runs
    // Each run's best is by its task's score: binary root for a binary-task run.
    let measures = Set(runs.map(\.config.sentimentTask.selectionName)).sorted()
    let explanation = "best epoch by dev " + (measures.count == 1 ? measures[0] : "fine/binary root")
    var parts = ["\(runs.count - s.hidden.count) of \(runs.count) shown", explanation]
    if s.viewOnly { parts.append("trees from \(s.checkpoint.rawValue)") }
    if let (a, b) = s.disagreement {
        parts.append("disagree: \(SeriesMark.letter(a)) vs \(SeriesMark.letter(b))")
    }
    // A narrow panel leaves out the explanation rather than cut what the keys changed
    // (at 80 columns the pair of the disagreement filter lost its second run).
    let room = r.width - "runs".count - 4
    if parts.joined(separator: "  ").count > room { parts.removeAll { $0 == explanation } }
    renderTitle("runs", detail: parts.joined(separator: "  "), focused: s.focused, &grid, r, options)
    let layout = runLayout(width: r.width, runs: runs)
    func row(_ cells: [String], y: Int, style: CellStyle) {
        var x = r.x + 5
        x += grid.put(cells[0], x: x, y: y, style: style, maxWidth: layout.name) + 1
        x = r.x + 5 + layout.name + 1
        for (column, text) in zip(layout.columns, cells.dropFirst()) {
            let shown = column.title == "model" ? text : text.leftPadded(column.width)
            grid.put(shown, x: x, y: y, style: style, maxWidth: column.width)
            x += column.width + 1
        }
    }
    row(
        ["run"] + layout.columns.map { $0.title == "model" ? $0.title : $0.title.leftPadded($0.width) },
        y: r.y + 1, style: CellStyle(.bold))
    // The ensemble keeps the last row, so it stays in sight however many runs there are.
    let ensemble = s.ensemble.flatMap { r.height - 2 >= 2 ? $0 : nil }
    let visible = r.height - 2 - (ensemble == nil ? 0 : 1)
    guard visible > 0 else { return }
    let labels = runLabels(
        runs.map { $0.isLive ? $0.name + " (live)" : $0.name }, width: layout.name,
        ellipsis: options.unicode ? "…" : "~")
    let cursor = min(s.cursor, runs.count - 1)
    let start = max(0, min(cursor - visible / 2, runs.count - visible))
    for (k, run) in runs.enumerated().dropFirst(start).prefix(visible) {
        let y = r.y + 2 + k - start
        let hidden = s.hidden.contains(k)
        let tone: Tone = hidden ? .dim : SeriesMark.tone(k)
        grid.put(k == cursor ? (options.unicode ? "▶" : ">") : " ", x: r.x, y: y, style: CellStyle(.accent))
        grid.put(SeriesMark.key(k, unicode: options.unicode), x: r.x + 1, y: y, style: CellStyle(tone))
        if hidden { grid.put("-", x: r.x + 3, y: y, style: CellStyle(.dim)) }
        row(
            [labels[k]] + layout.columns.map { $0.value(run) }, y: y,
            style: CellStyle(hidden ? .dim : .normal))
        if k == cursor {
            grid.restyle(
                x: r.x + 5, y: y, length: r.width - 5,
                style: CellStyle(s.focused ? .accent : .bold, reverse: s.focused))
        }
    }
    if let ensemble {
        let y = r.y + 2 + min(runs.count, visible)
        grid.put(options.unicode ? "Σ" : "E", x: r.x + 1, y: y, style: CellStyle(.bold))
        row(
            [layout.name >= 15 ? "ensemble (\(s.checkpoint.rawValue))" : "ensemble"]
                + layout.columns.map { ensembleCell($0, ensemble) }, y: y,
            style: CellStyle(.normal))
    }
}

/// A column of the ensemble row: its members' key letters under `model`, the averaged
/// distributions' figures under the metric columns of its members' task, and `-` for the
/// runs' own settings.
func ensembleCell(_ column: RunColumn, _ e: EnsembleSummary) -> String {
    if column.title == "model" { return "avg " + String(e.members.map { SeriesMark.letter($0) }) }
    guard let measure = column.measure else { return "-" }
    // Members share their classes, which say their task.
    let task = SentimentTask.of(classes: e.metrics.confusionAll.count)
    guard column.task == nil || column.task == task else { return "" }
    return String(format: "%.2f", 100 * measure.value(e.metrics))
}
