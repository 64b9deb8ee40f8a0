import SentreeCore
import Testing

@testable import SentreeDashboard

/// A binary-task run (`--task binary`) on the dashboard: the header names the task, and its 3
/// classes are drawn as SST's negative, neutral and positive.
@Suite struct BinaryTaskRenderTests {
    /// The fixture's setup for a binary run: its dev set as the trainer reads it (the neutral
    /// fourth sentence dropped, labels 0…2).
    static func setup() throws -> DashboardSetup {
        var setup = try Fixture.setup()
        setup.config.task = .binary
        let dev = SentimentTask.binary.prepare(try Treebank.parse(Fixture.devText, source: "dev"))
        let vocabulary = Vocabulary.build(from: dev, lowercase: true)
        return DashboardSetup(
            config: setup.config, dev: dev, devWordIDs: vocabulary.encode(dev),
            runDirectory: "runs/test", stepsPerEpoch: 4, startEpoch: 0, vocabulary: vocabulary)
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func headerNamesTheTaskAfterTheModel(_ size: (Int, Int)) throws {
        var s = DashboardState(setup: try Self.setup())
        s.apply(.state(.running))
        let line = render(s, width: size.0, height: size.1).line(0)
        #expect(line.hasPrefix(" sentree   rnn d=30  task binary (SST-2)  adagrad  "), "\(line)")
        #expect(line.contains(" RUNNING "), "\(line)")
        let fine = DashboardState(setup: try Fixture.setup())
        #expect(!render(fine, width: size.0, height: size.1).line(0).contains("task"))
    }

    /// Gold labels 0…2 show as SST's 1…3: the positive third tree says gold 3.
    @Test func devLabelsAndPredictionsUseTheSSTScale() throws {
        var s = DashboardState(setup: try Self.setup())
        #expect(s.setup.dev.count == 3)
        #expect(s.setup.dev.labels.allSatisfy { (1 ... 3).contains($0) })
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 4, vocabularySize: 12, classes: 3))
        let snapshot = ModelSnapshot(
            layout: layout, parameters: layout.initialParameters(seed: 1), epoch: 1, step: 4)
        let raw = snapshot.predict(tree: 2, in: s.setup.dev, wordIDs: s.setup.devWordIDs)
        let shown = snapshot.shownPrediction(tree: 2, in: s.setup.dev, wordIDs: s.setup.devWordIDs)
        #expect(shown.predicted == raw.predicted.map { $0 + 1 })
        #expect(shown.probabilities.allSatisfy { $0.count == 5 && $0[0] == 0 && $0[4] == 0 })
        #expect(shown.probabilities.map { Array($0[1 ... 3]) } == raw.probabilities)
        s.selectedTree = 2
        s.prediction = shown
        s.predictionStep = 4
        let root = try #require(shown.predicted.last)
        let text = render(s, width: 120, height: 40).text
        #expect(text.contains("3/3  gold 3 pred \(root)"), "\(text)")
        // Outcomes of an evaluation move onto the same scale.
        let outcome = SentimentTask.binary.shown(TreeOutcome(tree: 0, goldRoot: 2, predictedRoot: 0, loss: 1))
        #expect(outcome.goldRoot == 3 && outcome.predictedRoot == 1 && !outcome.correct)
    }

    /// `e`'s message names a binary run's figures as the rest of the dashboard does: its
    /// binary root first, then the argmax over its 3 classes as `3-class`, never `fine`.
    @Test func anEvaluationNowNamesTheThreeClassFigures() throws {
        var s = DashboardState(setup: try Self.setup())
        var m = Metrics(classes: 3)
        m.confusionRoot = [[3, 0, 1], [0, 0, 0], [1, 0, 5]]
        m.confusionAll = [[10, 2, 1], [1, 20, 1], [1, 2, 12]]
        s.apply(
            .evaluation(
                EvaluationReport(
                    epoch: 1, step: 4, metrics: m, outcomes: [], snapshot: Fixture.snapshot(s.setup))))
        let message = try #require(s.message)
        #expect(
            message.hasPrefix("dev now: binary root ") && message.contains("  3-class root 80.00%"),
            "\(message)")
        #expect(!message.contains("fine"), "\(message)")
        #expect(SentimentTask.fine.figuresLine(m).hasPrefix("fine all "))
    }

    /// `sentree view` of binary runs: the runs panel says best is by binary root, and the
    /// accuracy chart calls its default metric the 3-class root it draws; with a fine run
    /// beside them both names stay honest (the chart's names both argmax figures).
    @Test(arguments: [(120, 40), (80, 24)])
    func theViewNamesTheMeasuresOfBinaryRuns(_ size: (Int, Int)) throws {
        var runs = [Fixture.comparedRun(0, epochs: 3), Fixture.comparedRun(1, epochs: 3)]
        for k in runs.indices { runs[k].config.task = .binary }
        var s = DashboardState(setup: try Fixture.setup())
        s.trainer = .done
        s.compare = CompareState(runs: runs, viewOnly: true)
        s.views.accuracy = .chart
        var text = render(s, width: size.0, height: size.1).text
        #expect(text.contains("accuracy ─ dev 3-class root %"), "\(text)")
        #expect(!text.contains("fine root"), "\(text)")
        if size.0 >= 120 { #expect(text.contains("best epoch by dev binary root"), "\(text)") }
        s.compare?.runs[1].config.task = .fine
        text = render(s, width: size.0, height: size.1).text
        // One chart draws both runs' argmax root: a 5-class and a 3-class one.
        #expect(text.contains("accuracy ─ dev fine/3-class root %"), "\(text)")
        if size.0 >= 120 { #expect(text.contains("best epoch by dev fine/binary root"), "\(text)") }
    }

    /// The confusion view of a 3-class model: a 3 × 3 matrix whose classes carry the symbols
    /// and colours of negative, neutral and positive; the accuracy table says 3-class.
    @Test func confusionIsThreeByThreeAndTheChartSaysThreeClass() throws {
        var s = DashboardState(setup: try Self.setup())
        s.apply(.state(.running))
        var m = Metrics(classes: 3)
        m.confusionRoot = [[300, 20, 108], [0, 0, 0], [50, 30, 364]]
        m.confusionAll = [[3004, 1147, 546], [617, 20346, 1224], [243, 1103, 4990]]
        let report = EvaluationReport(
            epoch: 1, step: 4, metrics: m, outcomes: [], snapshot: Fixture.snapshot(s.setup))
        s.apply(
            .epoch(
                EpochResult(
                    epoch: 1, trainLoss: 0.5, dev: report, seconds: 1, treesPerSecond: 100,
                    learningRate: 0.05, isBest: true)))
        let chart = render(s, width: 120, height: 40).text
        #expect(chart.contains("ep  3-cl all  root  bin root"), "\(chart)")
        _ = s.handle(.char("c"))
        let grid = render(s, width: 120, height: 40)
        let text = grid.text
        #expect(text.contains("roots   0-   1o   2+  rec"), "\(text)")
        #expect(text.contains(" 0-    300   20  108  70%"), "\(text)")
        #expect(text.contains(" 2+    243 1103 4990  79%"), "\(text)")
        #expect(!text.contains("3+") && !text.contains("0--"))
        // The negative row's label has the colour of SST's negative (1), not very negative (0).
        let y = try #require((0 ..< grid.height).first { grid.line($0).contains(" 0-    300") })
        let line = grid.line(y)
        let x = try #require(
            line.range(of: " 0-    300").map { line.distance(from: line.startIndex, to: $0.lowerBound) })
        #expect(grid.style(x: x + 1, y: y).tone == .sentiment(1))
    }
}
