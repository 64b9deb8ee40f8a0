import SentreeCore
import Testing
@testable import SentreeDashboard

/// Each panel rendered alone from a hand-built input, without a `DashboardState`: what a
/// panel shows must follow from its input only.
@Suite struct PanelInputTests {
    /// A grid of `width`×`height` with the panel drawn over all of it.
    static func draw(_ width: Int, _ height: Int, _ body: (inout CellGrid, Rect) -> Void) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        body(&grid, Rect(x: 0, y: 0, width: width, height: height))
        return grid
    }

    static let focusedTitle = CellStyle(.accent, reverse: true)
    static let dev = try! Treebank.parse(Fixture.devText, source: "dev")
    static let outcomes = [
        TreeOutcome(tree: 0, goldRoot: 3, predictedRoot: 3, loss: 1.5),
        TreeOutcome(tree: 1, goldRoot: 1, predictedRoot: 3, loss: 6.25),
        TreeOutcome(tree: 2, goldRoot: 4, predictedRoot: 3, loss: 3.0),
        TreeOutcome(tree: 3, goldRoot: 2, predictedRoot: 2, loss: 0.5),
    ]

    @Test func lossPanelDrawsItsHistoryAxesAndEpochMarks() {
        var loss = LossHistory(smoothing: 0)
        for v: Float in [2, 1, 0.75, 0.5] { loss.append(v) }
        let input = LossPanelInput(loss: loss, epochEnds: [2], step: 4, focused: true)
        let grid = Self.draw(40, 8) { renderLoss(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" loss ─ 0.5000  EMA 0.00  ┴ epoch "), "\(grid.line(0))")
        #expect(grid.style(x: 1, y: 0) == Self.focusedTitle)
        // y labels: the highest loss at the top, the lowest at the bottom of the plot.
        #expect(grid.line(1).hasPrefix("      2 "))
        #expect(grid.line(6).hasPrefix("    0.5 "))
        // x axis: the first step, the newest step at the right end, the epoch end halfway.
        #expect(grid.line(7) == "        step 1          ┴              4")
        let waiting = LossPanelInput(loss: LossHistory(), logScale: true)
        let empty = Self.draw(40, 8) { renderLoss(waiting, &$0, $1, RenderOptions()) }
        #expect(empty.line(0).hasPrefix(" loss ─ -  EMA 0.90 log  ┴ epoch "), "\(empty.line(0))")
        #expect(empty.style(x: 1, y: 0) == CellStyle(.bold))
        #expect(empty.text.contains("waiting for the first steps…"))
    }

    @Test func accuracyPanelTabulatesEpochsAndStarsTheBest() {
        let epochs = [
            EpochPoint(epoch: 1, trainLoss: 1.2, fineAll: 0.5, fineRoot: 0.4, binaryRoot: 0.8, seconds: 1),
            EpochPoint(
                epoch: 2, trainLoss: 0.9, fineAll: 0.55, fineRoot: 0.35, binaryRoot: 0.82,
                seconds: 1),
        ]
        let input = AccuracyPanelInput(epochs: epochs, best: 1)
        let grid = Self.draw(50, 14) { renderAccuracy(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" accuracy ─ dev %  best epoch 1 "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix("   ep  fine all  root  bin root   loss"))
        #expect(grid.line(2).hasPrefix(" *   1    50.00  40.00    80.00   1.200"), "\(grid.line(2))")
        #expect(grid.style(x: 1, y: 2) == CellStyle(.good))
        #expect(grid.line(3).hasPrefix("     2    55.00  35.00    82.00   0.900"), "\(grid.line(3))")
        #expect(grid.style(x: 5, y: 3) == CellStyle(.normal))
        #expect(grid.line(13).hasPrefix(" ━ fine all ━ bin root ━ fine root"))
        let none = Self.draw(50, 14) { renderAccuracy(AccuracyPanelInput(), &$0, $1, RenderOptions()) }
        #expect(none.line(2).hasPrefix(" dev metrics appear after the first epoch"))
    }

    static func metrics() -> Metrics {
        var m = Metrics()
        m.confusionRoot[3][3] = 2; m.confusionRoot[1][3] = 1; m.confusionRoot[2][2] = 1
        m.confusionAll[2][2] = 10; m.confusionAll[3][3] = 3; m.confusionAll[1][2] = 2
        return m
    }

    @Test func confusionPanelShowsTheMatrixItIsAskedFor() {
        var input = ConfusionPanelInput(metrics: Self.metrics(), evaluatedStep: 8)
        var grid = Self.draw(50, 8) { renderConfusion(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" confusion ─ roots  (c: all nodes)  step 8 "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix("roots  0--   1-   2o   3+  4++  rec "))
        #expect(grid.line(3).hasPrefix(" 1-      0    0    0    1    0   0% "))
        #expect(grid.line(5).hasPrefix(" 3+      0    0    0    2    0 100% "))
        // Shaded by the share of the row: all of gold 3 went to 3.
        #expect(grid.style(x: 22, y: 5) == CellStyle(.shade(4)))
        #expect(grid.style(x: 17, y: 5) == CellStyle(.shade(0)))
        input.allNodes = true
        grid = Self.draw(50, 8) { renderConfusion(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" confusion ─ all nodes  (c: length)  step 8 "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix("all    0--"))
        #expect(grid.line(4).hasPrefix(" 2o      0    0   10    0    0 100% "))
        let none = Self.draw(36, 8) { renderConfusion(ConfusionPanelInput(), &$0, $1, RenderOptions()) }
        #expect(none.line(2).hasPrefix(" appears after the first evaluation"))
    }

    @Test func lengthPanelShowsAccuracyByLengthWithBars() {
        let metrics = CompareLengthTests.metrics(Self.dev, perfect: true)
        let input = LengthPanelInput(metrics: metrics, evaluatedStep: 8)
        let grid = Self.draw(50, 6) { renderLengths(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" length ─ by words spanned  step 8 "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix(" words  nodes   fine  roots   root"))
        #expect(grid.line(2).hasPrefix("  1-10     24 100.0%      4 100.0% "), "\(grid.line(2))")
        // Every node right: the bar is full.
        #expect(grid.line(2).hasSuffix(String(repeating: "█", count: 14) + " "))
        #expect(grid.style(x: 35, y: 2) == CellStyle(.good))
        #expect(grid.line(5).hasPrefix(" fine: all nodes  root: sentences"))
    }

    @Test func browserListsItsRowsInTheGivenOrder() {
        var input = BrowserPanelInput(
            dev: Self.dev, rows: [1, 0], outcomes: Self.outcomes, selectedTree: 0,
            cursor: 1, wrongOnly: true, focused: true)
        var grid = Self.draw(60, 5) { renderBrowser(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" dev trees ─ 2 of 4  wrong only "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix(" ✗ 1→3   6.25 It is dull ."), "\(grid.line(1))")
        #expect(grid.line(2).hasPrefix("▶✓ 3→3   1.50 The movie works ."), "\(grid.line(2))")
        #expect(grid.style(x: 1, y: 1) == CellStyle(.error))
        #expect(grid.style(x: 1, y: 2) == Self.focusedTitle, "the cursor row")
        // The disagreement filter's other run, by its letter, beside the root.
        var other = Self.outcomes
        other[1].predictedRoot = 4
        input.reference = (run: 1, outcomes: other)
        grid = Self.draw(60, 5) { renderBrowser(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(1).hasPrefix(" ✗ 1→3 B4   6.25 It is dull ."), "\(grid.line(1))")
        input.rows = []
        input.search = "zzz"
        grid = Self.draw(60, 5) { renderBrowser(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(1).hasPrefix(" no dev sentence contains 'zzz'"))
    }

    @Test func treePanelDrawsThePredictionAndScrolls() {
        // "Nothing happens" in post-order: Nothing, happens, the root.
        let probabilities: [[Float]] = [[0, 0, 0.7, 0.3, 0], [0, 0, 0.2, 0.8, 0], [0.1, 0.6, 0.3, 0, 0]]
        let prediction = TreePrediction(probabilities: probabilities, predicted: [2, 3, 1])
        var input = TreePanelInput(dev: Self.dev, selectedTree: 3, prediction: prediction, predictionStep: 8)
        var grid = Self.draw(40, 5) { renderTree(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" tree ─ 4/4  gold 2 pred 1 ✗ "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix("1-  ✗2 0.60 Nothing happens"), "\(grid.line(1))")
        #expect(grid.style(x: 0, y: 1) == CellStyle(.sentiment(1), reverse: true))
        #expect(grid.line(2).hasPrefix("  2o  0.70 Nothing"), "\(grid.line(2))")
        #expect(grid.line(3).hasPrefix("  3+  ✗2 0.80 happens"), "\(grid.line(3))")
        input.prediction = nil
        input.scroll = 1
        grid = Self.draw(40, 3) { renderTree(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" tree ─ 4/4  gold 2  lines 2-3 of 3 "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix("  ?   Nothing"), "\(grid.line(1))")
    }

    static func probes() throws -> [ProbeView] {
        try ["(3 (2 a) (4 good))", "the film"].map {
            ProbeView(try Probe(parsing: $0, source: "test"), vocabulary: nil)
        }
    }

    @Test func probePanelShowsTheShownProbeOverTheList() throws {
        var probes = try Self.probes()
        probes[0].history = [.init(epoch: 1, root: 1), .init(epoch: 2, root: 4)]
        let input = ProbePanelInput(probes: probes, shown: 0, focused: true)
        let grid = Self.draw(60, 12) { renderProbeArea(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" tree ─ probe 1/2  gold 3 "), "\(grid.line(0))")
        #expect(grid.style(x: 1, y: 0) == Self.focusedTitle)
        #expect(grid.text.contains("predictions appear with the first parameter snapshot"))
        // The list: the last rows, the shown probe marked, each epoch's root as a digit.
        #expect(grid.line(9).hasPrefix(" probes ─ root by epoch  n/N next  i add "), "\(grid.line(9))")
        #expect(grid.line(10).hasPrefix("▶?   14              a good"), "\(grid.line(10))")
        #expect(grid.style(x: 5, y: 10) == CellStyle(.sentiment(1)))
        #expect(grid.style(x: 6, y: 10) == CellStyle(.sentiment(4)))
        #expect(grid.line(11).hasPrefix(" ?                   the film"), "\(grid.line(11))")
    }

    @Test func treeAreaShowsWhatItsInputNames() throws {
        let tree = TreeAreaInput.devTree(TreePanelInput(dev: Self.dev, selectedTree: 1))
        var grid = Self.draw(60, 12) { renderTreeArea(tree, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" tree ─ 2/4  gold 1 "), "\(grid.line(0))")
        let probe = TreeAreaInput.probe(ProbePanelInput(probes: try Self.probes(), shown: 1))
        grid = Self.draw(60, 12) { renderTreeArea(probe, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" tree ─ probe 2/2  approximate structure "), "\(grid.line(0))")
    }

    @Test func headerShowsSettingsStateAndProgress() {
        var config = TrainingConfig()
        config.epochs = 5
        var input = HeaderInput(
            config: config, runDirectory: "runs/x", stepsPerEpoch: 4, trainer: .paused,
            epoch: 2, stepInEpoch: 2, progress: 0.3, treesPerSecond: 1000,
            learningRate: 0.02, elapsed: 65)
        var grid = CellGrid(width: 120, height: 2)
        renderHeader(input, &grid, RenderOptions())
        let settings = " sentree   rnn d=30  adagrad  l2 0.001  batch 25  seed 1 "
        #expect(grid.line(0).hasPrefix(settings + "  PAUSED   run runs/x"), "\(grid.line(0))")
        #expect(grid.style(x: grid.line(0).column(of: "PAUSED"), y: 0) == CellStyle(.warning, reverse: true))
        #expect(grid.line(1).hasPrefix(" epoch 2/5  step 2/4 "), "\(grid.line(1))")
        #expect(grid.line(1).contains(" 30% ETA 0:00  1000 trees/s  lr 0.02  1:05"), "\(grid.line(1))")
        // The last epoch's save time, where it fits; at 80 columns the rest keeps its place.
        input.saveSeconds = 0.034
        grid = CellGrid(width: 120, height: 2)
        renderHeader(input, &grid, RenderOptions())
        #expect(
            grid.line(1).contains(" ETA 0:00  save 0.03s  1000 trees/s  lr 0.02  1:05"), "\(grid.line(1))")
        grid = CellGrid(width: 80, height: 2)
        renderHeader(input, &grid, RenderOptions())
        #expect(grid.line(1).contains("1000 trees/s  lr 0.02  1:05") && !grid.line(1).contains("save"))
        input.saveSeconds = nil
        input.writeFailure = WriteFailure(
            path: "runs/x/last.safetensors", what: "last", error: "full",
            consecutive: 3)
        grid = CellGrid(width: 120, height: 2)
        renderHeader(input, &grid, RenderOptions())
        #expect(grid.line(0).contains(" PAUSED   SAVE FAILING ×3   run runs/x"), "\(grid.line(0))")
    }

    /// The treelstm recipe's settings do not all fit: the dev schedule (which explains a cut
    /// rate or an early stop) stays at 120 and 80 columns; batch and seed go first, and
    /// nothing is shown while a more telling setting is left out.
    @Test func aNarrowHeaderKeepsTheScheduleBeforeLesserSettings() {
        var config = ModelKind.treelstm.trainingDefaults
        config.epochs = 20
        let input = HeaderInput(
            config: config, runDirectory: "runs/treelstm-x", stepsPerEpoch: 342, trainer: .running, epoch: 1,
            stepInEpoch: 86, progress: 0.0125, treesPerSecond: 300, learningRate: 0.05, elapsed: 60)
        var grid = CellGrid(width: 120, height: 2)
        renderHeader(input, &grid, RenderOptions())
        let wide = grid.line(0)
        #expect(
            wide.hasPrefix(
                " sentree   treelstm d=150 x=300  adagrad  l2 0.0001  dev every 0.25ep  patience 12 "),
            "\(wide)")
        #expect(wide.contains(" RUNNING ") && !wide.contains("seed") && !wide.contains("batch"), "\(wide)")
        grid = CellGrid(width: 80, height: 2)
        renderHeader(input, &grid, RenderOptions())
        let narrow = grid.line(0)
        #expect(
            narrow.hasPrefix(" sentree   treelstm d=150 x=300  dev every 0.25ep  patience 12   RUNNING "),
            "\(narrow)")
    }

    @Test func viewHeaderDescribesThePickedRun() {
        let runs = [Fixture.comparedRun(0, epochs: 8), Fixture.comparedRun(1, epochs: 7)]
        var grid = CellGrid(width: 120, height: 2)
        renderViewHeader(ViewHeaderInput(runs: runs, picked: 1), &grid, RenderOptions())
        let line = grid.line(0)
        #expect(line.hasPrefix(" sentree    VIEW   2 runs  ■B rnn2-deep  rnn2 d=30 "), "\(line)")
        #expect(grid.style(x: grid.line(0).column(of: "■"), y: 0) == CellStyle(SeriesMark.tone(1)))
        #expect(grid.line(1).hasPrefix(" epoch 7/10 "), "\(grid.line(1))")
        #expect(grid.line(1).contains(" 70%  following metrics.jsonl"), "\(grid.line(1))")
        grid = CellGrid(width: 120, height: 2)
        renderViewHeader(ViewHeaderInput(runs: runs, picked: 2), &grid, RenderOptions())
        let blank = grid.text.allSatisfy { $0.isWhitespace }
        #expect(blank, "no run picked, no header")
    }

    @Test func statusBarShowsTheLineTypedOrTheKeys() {
        func status(_ input: StatusBarInput, width: Int = 80) -> CellGrid {
            var grid = CellGrid(width: width, height: 1)
            renderStatus(input, &grid, RenderOptions())
            return grid
        }
        #expect(status(StatusBarInput()).line(0).hasPrefix(" space pause +/- l lr"))
        #expect(status(StatusBarInput(paused: true)).line(0).hasPrefix(" space resume +/- l lr"))
        let view = status(StatusBarInput(viewOnly: true)).line(0)
        #expect(view.hasPrefix(" space hide Tab focus ↑↓ m metric"))
        let search = status(StatusBarInput(input: .search("dull"))).line(0)
        #expect(search.hasPrefix(" search dev trees: dull_ "))
        let typing = StatusBarInput(
            probeInput: "a film", hasProbes: true, message: "bad",
            messageIsError: true)
        let probe = status(typing, width: 120)
        let prompt = " probe (sentence or tree): a film_   Enter add (empty: show probes) · Esc"
        #expect(probe.line(0).hasPrefix(prompt), "\(probe.line(0))")
        #expect(probe.line(0).contains("Esc cancel  bad"))
        let error = status(StatusBarInput(message: "disk full", messageIsError: true))
        #expect(error.line(0).hasPrefix(" disk full "))
        #expect(error.style(x: 1, y: 0) == CellStyle(.error, reverse: true))
        let quitting = status(StatusBarInput(quitting: true)).line(0)
        #expect(quitting.hasPrefix(" stopping training and saving last"))
    }

    @Test func helpOverlayLeavesTrainingKeysOutOfViewAndScrolls() {
        func help(_ input: HelpOverlayInput, _ width: Int, _ height: Int) -> String {
            var grid = CellGrid(width: width, height: height)
            renderHelp(input, &grid, RenderOptions())
            return grid.text
        }
        #expect(help(HelpOverlayInput(), 120, 40).contains("pause / resume training"))
        #expect(!help(HelpOverlayInput(viewOnly: true), 120, 40).contains("pause / resume training"))
        let scrolled = help(HelpOverlayInput(scroll: 3), 80, 24)
        #expect(scrolled.contains("rows 4-"), "\(scrolled)")
        #expect(!scrolled.contains("pause / resume training"), "scrolled past the first rows")
    }

    static let runs = (0 ..< 3).map { Fixture.comparedRun($0, epochs: 8 - $0) }

    @Test func runsPanelMarksHiddenRunsTheCursorAndTheDisagreement() {
        let input = RunsPanelInput(
            runs: Self.runs, hidden: [1], cursor: 2, viewOnly: true,
            checkpoint: .last, disagreement: (picked: 2, reference: 0), focused: true)
        let grid = Self.draw(120, 6) { renderRuns(input, &$0, $1, RenderOptions()) }
        let title = grid.line(0)
        #expect(
            title.hasPrefix(
                " runs ─ 2 of 3 shown  best epoch by dev fine root  trees from last  "
                    + "disagree: C vs A "), "\(title)")
        #expect(grid.line(1).hasPrefix("     run "))
        #expect(grid.line(2).hasPrefix(" ●A  rnn-base "), "\(grid.line(2))")
        #expect(grid.line(3).hasPrefix(" ■B- rnn2-deep "), "\(grid.line(3))")
        #expect(grid.style(x: 5, y: 3) == CellStyle(.dim))
        #expect(grid.line(4).hasPrefix("▶▲C  rntn-tensor "), "\(grid.line(4))")
        #expect(grid.style(x: 5, y: 4) == Self.focusedTitle, "the cursor row")
    }

    static func overlay(hidden: Set<Int> = [], picked: Int = 0, byTime: Bool = false) -> OverlayRuns {
        OverlayRuns(runs: Array(Self.runs.prefix(2)), hidden: hidden, picked: picked, alignByTime: byTime)
    }

    @Test func compareLossDrawsTheShownRunsOnly() {
        var input = CompareLossInput(overlay: Self.overlay(), viewOnly: true, focused: true)
        var grid = Self.draw(70, 10) { renderCompareLoss(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" loss ─ train, per epoch "), "\(grid.line(0))")
        #expect(grid.style(x: 1, y: 0) == Self.focusedTitle)
        #expect(grid.text.contains("●") && grid.text.contains("■"))
        #expect(grid.line(9).hasPrefix("       ep 1"), "\(grid.line(9))")
        #expect(grid.line(9).hasSuffix("ep 8"), "\(grid.line(9))")
        input.overlay.hidden = [0]
        input.viewOnly = false
        input.logScale = true
        grid = Self.draw(70, 10) { renderCompareLoss(input, &$0, $1, RenderOptions()) }
        let title = grid.line(0)
        #expect(title.hasPrefix(" loss ─ train, per epoch  live: smoothed per step  log "), "\(title)")
        #expect(!grid.text.contains("●") && grid.text.contains("■"))
        #expect(grid.line(9).hasSuffix("ep 7"), "\(grid.line(9))")
    }

    @Test func compareAccuracyDrawsTheMetricAndALegend() {
        let input = CompareAccuracyInput(overlay: Self.overlay(picked: 1, byTime: true), metric: .binaryAll)
        let grid = Self.draw(50, 10) { renderCompareAccuracy(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" accuracy ─ dev binary all %  by time "), "\(grid.line(0))")
        #expect(grid.line(8).hasSuffix(" trained"), "\(grid.line(8))")
        #expect(grid.line(9).hasPrefix(" ●A rnn-base  ■B rnn2-deep"), "\(grid.line(9))")
        #expect(grid.style(x: 1, y: 9) == CellStyle(SeriesMark.tone(0)))
    }

    @Test func compareLengthsTabulatesTheShownRuns() {
        var runs = Array(Self.runs.prefix(2))
        runs[0].metrics = CompareLengthTests.metrics(Self.dev, perfect: false)
        runs[1].metrics = CompareLengthTests.metrics(Self.dev, perfect: true)
        var input = CompareLengthsInput(runs: runs, viewOnly: true, checkpoint: .last)
        var grid = Self.draw(60, 5) { renderCompareLengths(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(0).hasPrefix(" length ─ dev % by words, last checkpoints "), "\(grid.line(0))")
        #expect(grid.line(1).hasPrefix(" words roots root ●A    fine root ■B    fine"), "\(grid.line(1))")
        #expect(grid.line(2).hasPrefix("  1-10     4   25.0    50.0   100.0*  100.0*"), "\(grid.line(2))")
        input.hidden = [0]
        grid = Self.draw(60, 5) { renderCompareLengths(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(1).hasPrefix(" words roots root ■B    fine"), "\(grid.line(1))")
        #expect(grid.line(2).hasPrefix("  1-10     4  100.0   100.0 "), "one run: no best mark")
        input.runs = Self.runs
        grid = Self.draw(60, 5) { renderCompareLengths(input, &$0, $1, RenderOptions()) }
        #expect(grid.line(2).hasPrefix(" appears when a run has a checkpoint"))
    }
}

extension String {
    /// Column where `text` first starts in a rendered line (every cell is one character).
    func column(of text: String) -> Int {
        distance(from: startIndex, to: range(of: text)?.lowerBound ?? endIndex)
    }
}
