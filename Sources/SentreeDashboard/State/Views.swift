import SentreeCore

/// What the accuracy panel shows; `c` cycles through them.
public enum AccuracyView: Int, CaseIterable, Sendable {
    /// The per-epoch table and chart.
    case chart
    /// The 5×5 confusion matrices of the latest evaluation (roots only, when both do not fit).
    case confusion
    /// The all-nodes matrix alone, for panels too short for both.
    case confusionNodes
    /// Accuracy by phrase length and by sentence length.
    case length
    /// Compared runs: how the picked run's confusion matrices differ from the reference run's.
    case difference
}

/// How the tree panel draws a tree; `t` toggles.
public enum TreeDrawing: Sendable {
    case indented, topDown
}

/// View state of the probes, the extra panel views, the help overlay and the mouse.
///
/// Kept apart from `DashboardState`'s original fields so that features stay in their own files.
public struct ViewState: Sendable {
    public var accuracy: AccuracyView = .chart
    public var drawing: TreeDrawing = .indented
    /// First wrapped line of the help overlay on screen.
    public var helpScroll = 0
    /// The terminal size of the last frame (the app loop keeps it current), for clamping
    /// scrolls and for mapping mouse positions to panels.
    public var screenWidth = 120, screenHeight = 40
    /// Sentences and trees the user watches (`i`, `--probe`, `RUN/probes.txt`).
    public var probes: [ProbeView] = []
    /// The probe the tree panel shows, or nil for the selected dev tree.
    public var shownProbe: Int? = nil
    /// The probe being typed after `i`, nil when the input line is closed.
    public var probeInput: LineEditor? = nil
    /// What was typed into each input this session, for Up / Down.
    public var history = InputHistory()
    /// The search filter before `/`, which Esc puts back (typing filters as it goes).
    public var searchBeforeEdit = ""
    /// The latest evaluation's counts, for the confusion and length views.
    public var metrics: Metrics? = nil
    /// The background parser's progress (0–1) while it trains, for the probes' titles.
    public var parserProgress: Double? = nil

    public init() {}
}

extension DashboardState {
    /// `c`: the next accuracy view that makes sense on this screen.
    mutating func cycleAccuracyView() {
        let order: [AccuracyView]
        if compare?.showRuns == true {
            // Compared runs: curves, the picked run's matrices, where it differs from the
            // reference run (with two or more runs), and accuracy by length side by side.
            let area = compareAccuracyArea(width: views.screenWidth, height: views.screenHeight)
            order =
                [.chart, .confusion] + (confusionFitsBoth(area) ? [] : [.confusionNodes])
                + (disagreementPair == nil ? [] : [.difference]) + [.length]
        } else {
            let area = layout(width: views.screenWidth, height: views.screenHeight).accuracy
            order = [.chart, .confusion] + (confusionFitsBoth(area) ? [] : [.confusionNodes]) + [.length]
        }
        let here = order.firstIndex(of: views.accuracy) ?? order.count - 1
        views.accuracy = order[(here + 1) % order.count]
    }
}
