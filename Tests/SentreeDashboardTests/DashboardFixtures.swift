import SentreeCore
@testable import SentreeDashboard

/// A small dev treebank and a state fed with events, for rendering tests.
enum Fixture {
    static let devText = """
        (3 (2 The) (3 (3 (2 movie) (3 works)) (2 .)))
        (1 (2 It) (1 (1 (2 is) (1 dull)) (2 .)))
        (4 (4 (2 A) (4 (4 great) (2 film))) (2 !))
        (2 (2 Nothing) (2 happens))
        """

    static func setup(epochs: Int = 5) throws -> DashboardSetup {
        let dev = try Treebank.parse(devText, source: "dev")
        var config = TrainingConfig()
        config.epochs = epochs
        let vocabulary = Vocabulary.build(from: dev, lowercase: true)
        return DashboardSetup(
            config: config, dev: dev, devWordIDs: vocabulary.encode(dev),
            runDirectory: "runs/test", stepsPerEpoch: 4, startEpoch: 0, vocabulary: vocabulary)
    }

    static func snapshot(_ setup: DashboardSetup) -> ModelSnapshot {
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 4, vocabularySize: 12))
        return ModelSnapshot(layout: layout, parameters: layout.initialParameters(seed: 1), epoch: 1, step: 4)
    }

    /// A running state: 6 steps, one finished epoch with outcomes.
    static func state() throws -> DashboardState {
        let setup = try setup()
        var s = DashboardState(setup: setup)
        s.apply(.state(.running))
        for k in 1 ... 6 {
            s.apply(
                .step(
                    StepEvent(
                        epoch: k <= 4 ? 1 : 2, step: k, stepInEpoch: k <= 4 ? k : k - 4, stepsPerEpoch: 4,
                        loss: 1.6 / Double(k), learningRate: 0.02, treesPerSecond: 1000)))
            if k == 4 { s.apply(.epoch(epochResult(setup, epoch: 1))) }
        }
        return s
    }

    static func epochResult(_ setup: DashboardSetup, epoch: Int) -> EpochResult {
        var m = Metrics()
        m.confusionRoot[3][3] = 2; m.confusionRoot[1][3] = 1; m.confusionRoot[2][2] = 1
        m.confusionAll[2][2] = 10; m.confusionAll[3][3] = 3; m.confusionAll[1][2] = 2
        m.binaryRootCorrect = 2; m.binaryRootTotal = 3
        let outcomes = [
            TreeOutcome(tree: 0, goldRoot: 3, predictedRoot: 3, loss: 1.5),
            TreeOutcome(tree: 1, goldRoot: 1, predictedRoot: 3, loss: 6.25),
            TreeOutcome(tree: 2, goldRoot: 4, predictedRoot: 3, loss: 3.0),
            TreeOutcome(tree: 3, goldRoot: 2, predictedRoot: 2, loss: 0.5),
        ]
        let report = EvaluationReport(
            epoch: epoch, step: 4 * epoch, metrics: m, outcomes: outcomes, snapshot: snapshot(setup))
        return EpochResult(
            epoch: epoch, trainLoss: 0.8, dev: report, seconds: 0.1, treesPerSecond: 1000,
            learningRate: 0.02, isBest: true)
    }
}
