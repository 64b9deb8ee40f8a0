import Foundation
import SentreeCore

/// What the header of `train` shows.
struct HeaderInput {
    var config: TrainingConfig
    var embeddings: EmbeddingCoverage? = nil
    var runDirectory = ""
    var stepsPerEpoch = 0
    /// Epochs already done when the run started (non-zero when resuming).
    var startEpoch = 0
    var trainer = TrainerState.starting
    var writeFailure: WriteFailure? = nil
    var epoch = 0
    var stepInEpoch = 0
    /// Through the whole run, 0…1.
    var progress = 0.0
    var treesPerSecond = 0.0
    var learningRate = 0.0
    var elapsed = 0.0
    /// Seconds the last epoch spent saving checkpoints (nil before one ended).
    var saveSeconds: Double? = nil
    /// Whether the patience ended training with epochs left.
    var stoppedEarly = false
}

/// The header's settings in their order, each with its rank (`rankedSettingDescriptions`;
/// -1 before them): the model, a binary run's task right after it (its figures mean something
/// else), the training settings, and the word vectors with the share of words they cover
/// (`coverage`, nil before they are read; then with `reserve`, the widest it can read).
func headerSettings(
    _ c: TrainingConfig, coverage: EmbeddingCoverage?, reserve: Bool = false
) -> [(text: String, rank: Int)] {
    var settings: [(text: String, rank: Int)] = [(c.shapeDescription, -1)]
    settings += [c.taskDescription].filter { !$0.isEmpty }.map { ($0, -1) } + c.rankedSettingDescriptions
    if let e = coverage {
        settings.append(
            (vectorsCoverage(file: e.file, percent: 100 * Double(e.wordsFound) / Double(max(e.words, 1))), 1))
    } else if reserve, let file = c.embeddings {
        settings.append((vectorsCoverage(file: file, percent: 100), 1))
    }
    return settings
}

/// `glove.6B.50d 92% words`: which vectors, and how many words they cover.
func vectorsCoverage(file: String, percent: Double) -> String {
    let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    return String(format: "%@ %.0f%% words", name, percent)
}

/// Which of `settings` fit in `room` columns, each taking its text and 2 spaces: the first
/// whether it fits or not when `keepFirst` (the model), then by rank, none of a later rank
/// once one did not fit, so a setting is never shown while a more telling one is left out.
func fittingSettings(_ settings: [(text: String, rank: Int)], room: Int, keepFirst: Bool) -> Set<Int> {
    var left = room, shown = Set<Int>(), missed = Int.max
    for k in settings.indices.sorted(by: { (settings[$0].rank, $0) < (settings[$1].rank, $1) }) {
        guard settings[k].rank <= missed else { break }
        if (keepFirst && k == 0) || settings[k].text.count + 2 <= left {
            shown.insert(k)
            left -= settings[k].text.count + 2
        } else {
            missed = settings[k].rank
        }
    }
    return shown
}

/// Terminals at least this tall give the header of `train` a third row for the settings the
/// first could not hold (80x24 keeps its body).
let headerSettingsRowMinimumHeight = 30

/// The columns the first header row leaves to the settings beside the state label of
/// `stateWidth` characters and a save banner of `bannerWidth`.
private func firstRowRoom(width: Int, stateWidth: Int, bannerWidth: Int) -> Int {
    width - sentreeLabel.count - stateWidth - 2 - bannerWidth - 2
}

private let sentreeLabel = " sentree "

/// The rows the header of `train` takes on a `width` × `height` screen: 3 when the first
/// cannot hold every setting of `config` and the screen is tall enough for a row of the rest,
/// else 2. Decided by the widest state label and the vectors' widest coverage, so the body does
/// not move as the state changes.
func headerRows(_ config: TrainingConfig, width: Int, height: Int) -> Int {
    guard height >= headerSettingsRowMinimumHeight else { return 2 }
    let widestState = TrainerState.allCases.map(\.rawValue.count).max() ?? 0
    // Room for the vectors' coverage before they are read: the rows stay when it comes.
    let settings = headerSettings(config, coverage: nil, reserve: true)
    let room = firstRowRoom(width: width, stateWidth: widestState, bannerWidth: 0)
    return fittingSettings(settings, room: room, keepFirst: true).count < settings.count ? 3 : 2
}

/// The header of `train`: the model and its settings, the trainer's state, and progress; on a
/// tall screen (`headerRows`) the settings that did not fit beside the state in a third row.
func renderHeader(_ s: HeaderInput, _ grid: inout CellGrid, _ options: RenderOptions) {
    let c = s.config
    var banner: String? = nil
    if let failure = s.writeFailure {
        // Stays up until a save succeeds: a full disk must not scroll out of sight.
        let text = failure.consecutive > 1 ? " SAVE FAILING ×\(failure.consecutive) " : " SAVE FAILED "
        banner = options.unicode ? text : text.replacing("×", with: "x")
    }
    var x = grid.put(sentreeLabel, x: 0, y: 0, style: CellStyle(.accent, reverse: true))
    // The settings in their order, as many as fit beside the state label (and a save banner),
    // so a narrow terminal never drops the state: the model always, then by their rank.
    let settings = headerSettings(c, coverage: s.embeddings)
    let shown = fittingSettings(
        settings,
        room: firstRowRoom(
            width: grid.width, stateWidth: s.trainer.rawValue.count, bannerWidth: banner?.count ?? 0),
        keepFirst: true)
    let details = "  " + settings.indices.filter(shown.contains).map { settings[$0].text + "  " }.joined()
    let settingsX = x + 2
    x += grid.put(details, x: x, y: 0)
    if headerRows(c, width: grid.width, height: grid.height) > 2 {
        // The rest under the first, by the same ranks.
        let rest = settings.indices.filter { !shown.contains($0) }.map { settings[$0] }
        let more = fittingSettings(rest, room: grid.width - settingsX, keepFirst: false)
        let line = rest.indices.filter(more.contains).map { rest[$0].text }.joined(separator: "  ")
        grid.put(line, x: settingsX, y: 2)
    }
    let stateTone: Tone =
        switch s.trainer {
        case .running, .starting: .good
        case .paused, .evaluating: .warning
        case .done: .accent
        case .stopped, .failed, .diverged: .error
        }
    x += grid.put(" \(s.trainer.rawValue) ", x: x, y: 0, style: CellStyle(stateTone, reverse: true))
    if let banner { x += 1 + grid.put(banner, x: x + 1, y: 0, style: CellStyle(.error, reverse: true)) }
    // The path whole or cut with its ellipsis, and left out where only a stub would fit.
    let path = "  run \(s.runDirectory)"
    if grid.width - x >= min(path.count, 16) {
        grid.put(path, x: x, y: 0, style: CellStyle(.dim), maxWidth: grid.width - x)
    }

    let epochText =
        "epoch \(max(s.epoch, s.startEpoch))/\(c.epochs)  "
        + "step \(s.stepInEpoch)/\(s.stepsPerEpoch) "
    let percent = String(format: " %3.0f%%", 100 * s.progress)
    // Where the ETA was, why a bar short of its end will not move again.
    let eta = s.stoppedEarly ? " stopped early" : " ETA \(etaText(s))"
    let rate = "  lr \(formatRate(s.learningRate))"
    // What the line must hold, with a bar of at least 6 cells; the rest in order of worth
    // where it fits, in its place: the patience behind an early stop, the speed, the time
    // and the last epoch's save time.
    var room = grid.width - 9 - epochText.count - percent.count - eta.count - rate.count
    func fitting(_ text: String) -> String {
        guard text.count <= room else { return "" }
        room -= text.count
        return text
    }
    let patience = s.stoppedEarly ? fitting(c.patience.map { " (patience \($0))" } ?? "") : ""
    let speed = fitting(String(format: "  %.0f trees/s", s.treesPerSecond))
    let clock = fitting("  " + duration(s.elapsed))
    let save = fitting(saveText(s.saveSeconds))
    let rest = save + speed + rate + clock
    let barWidth = max(
        6, min(30, grid.width - epochText.count - percent.count - eta.count - patience.count - rest.count - 3)
    )
    x = grid.put(" " + epochText, x: 0, y: 1, style: CellStyle(.bold))
    let filled = Int((Double(barWidth) * s.progress).rounded(.down))
    let full: Character = options.unicode ? "█" : "#", empty: Character = options.unicode ? "░" : "."
    x += grid.put(String(repeating: full, count: filled), x: x, y: 1, style: CellStyle(.good))
    x += grid.put(String(repeating: empty, count: barWidth - filled), x: x, y: 1, style: CellStyle(.dim))
    x += grid.put(percent, x: x, y: 1)
    x += grid.put(eta + patience, x: x, y: 1, style: CellStyle(s.stoppedEarly ? .warning : .normal))
    grid.put(rest, x: x, y: 1)
}

/// Remaining time from the current throughput, or "--" before there is one.
func etaText(_ s: HeaderInput) -> String {
    if s.trainer.isFinal { return "0:00" }
    guard s.treesPerSecond > 0 else { return "--" }
    let c = s.config
    let remainingSteps = (1 - s.progress) * Double(c.epochs * s.stepsPerEpoch)
    return duration(remainingSteps * Double(c.batchSize) / s.treesPerSecond)
}

/// What the header of `sentree view` shows: the runs and which one is picked.
struct ViewHeaderInput {
    var runs: [ComparedRun]
    var picked = 0
}

/// The header of `sentree view`: the picked run, what it is and how far it got.
func renderViewHeader(_ s: ViewHeaderInput, _ grid: inout CellGrid, _ options: RenderOptions) {
    guard s.runs.indices.contains(s.picked) else { return }
    let run = s.runs[s.picked]
    let conf = run.config
    var x = grid.put(" sentree ", x: 0, y: 0, style: CellStyle(.accent, reverse: true))
    x += grid.put(" VIEW ", x: x + 2, y: 0, style: CellStyle(.warning, reverse: true)) + 2
    x += grid.put("\(s.runs.count) run\(s.runs.count == 1 ? "" : "s")  ", x: x + 2, y: 0) + 2
    x += grid.put(
        SeriesMark.key(s.picked, unicode: options.unicode) + " ", x: x, y: 0,
        style: CellStyle(SeriesMark.tone(s.picked)))
    x += grid.put(run.name, x: x, y: 0, style: CellStyle(.bold), maxWidth: 30)
    // Settings that do not fit whole are left out (the runs panel lists them), not cut.
    var details = "  \(modelDescription(run))"
    if !conf.taskDescription.isEmpty {
        // A binary run's figures mean something else: its task goes before the vectors (the
        // runs table's model column names them too), and shortens to `SST-2` before it goes.
        let shape = "  " + conf.shapeDescription, task = "  " + conf.taskDescription
        let fitting = [details + task, shape + task, shape + "  SST-2"].first { x + $0.count <= grid.width }
        details = fitting ?? details
    }
    // The rate comes first: a change made while training (`0.008→0.005`) explains the curves.
    for setting in ["lr " + learningRateCell(run)] + conf.settingDescriptions
    where x + details.count + 2 + setting.count <= grid.width {
        details += "  " + setting
    }
    grid.put(details, x: x, y: 0)

    let done = run.epochs.last?.epoch ?? 0
    let progress = conf.epochs > 0 ? min(1, Double(done) / Double(conf.epochs)) : 0
    x = grid.put(" epoch \(done)/\(conf.epochs) ", x: 0, y: 1, style: CellStyle(.bold))
    // A shorter bar at 80 columns leaves room for which checkpoint the trees come from.
    let barWidth = grid.width >= 100 ? 20 : 10, filled = Int((Double(barWidth) * progress).rounded(.down))
    let full: Character = options.unicode ? "█" : "#", empty: Character = options.unicode ? "░" : "."
    x += grid.put(String(repeating: full, count: filled), x: x, y: 1, style: CellStyle(.good))
    x += grid.put(String(repeating: empty, count: barWidth - filled), x: x, y: 1, style: CellStyle(.dim))
    let state = done >= conf.epochs ? "finished" : grid.width >= 100 ? "following metrics.jsonl" : "following"
    let trained = duration(run.epochs.reduce(0) { $0 + $1.seconds })
    let trees = run.checkpointNote.map { "  trees: \($0)" } ?? ""
    grid.put(
        String(format: " %3.0f%%  %@  %@ trained%@  run %@", 100 * progress, state, trained, trees, run.path),
        x: x, y: 1, style: CellStyle(.normal))
}
