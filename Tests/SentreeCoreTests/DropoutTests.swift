import Testing
@testable import SentreeCore

/// Inverted dropout on the softmax input (`Dropout`, applied in `LevelEngine`).
@Suite struct DropoutTests {
    static let allModels = ModelKind.allCases

    /// A small real-text treebank, its encoding and a model's layout for `kind`.
    static func setup(_ kind: ModelKind, trees: Int = 30) throws -> (EncodedTreebank, ParameterLayout) {
        let tb = try TestTreebanks.treebank(count: trees, seed: 9)
        let vocabulary = Vocabulary.build(from: tb, lowercase: true)
        let data = EncodedTreebank(tb, words: vocabulary.encode(tb))
        let inputDim = kind.defaultInputDim == nil ? nil : 7
        let layout = ParameterLayout(
            ModelConfig(
                kind: kind, dim: 9, middle: 5, inputDim: inputDim,
                vocabularySize: vocabulary.count))
        return (data, layout)
    }

    /// With the mask fixed, the gradient of the dropped-out objective is exact: every
    /// parameter of every model against finite differences in Float64, below 1e-6.
    @Test(arguments: allModels, [(7, 6, 1), (18, 17, 3)])
    func gradientCheckPassesWithAFixedMask(kind: ModelKind, shape: (Int, Int, Int)) {
        let inputDim = kind.defaultInputDim == nil ? nil : shape.1
        let report = GradientCheck.run(
            kind: kind, dim: shape.0, middle: shape.1, inputDim: inputDim,
            dropout: 0.4, threads: shape.2)
        for t in report.tensors {
            #expect(t.maxRelativeError < 1e-6, "\(kind) \(t.name): \(t.maxRelativeError)")
        }
        #expect(report.passed)
    }

    /// The mask drops about `rate` of the units and scales the rest by 1/(1 − rate); it is a
    /// function of (seed, step, node) alone.
    @Test func maskDropsTheRateAndScalesTheRest() {
        let d = Dropout(rate: 0.3, seed: 5, step: 12)
        let width = 151  // odd: the last unit uses half of a 64-bit draw
        var mask = [Double](repeating: -1, count: width), again = mask, other = mask, later = mask
        var zeros = 0, total = 0
        for node in 0 ..< 200 {
            d.fillMask(node: node, width: width, into: &mask)
            d.fillMask(node: node, width: width, into: &again)
            #expect(mask == again)
            for v in mask {
                #expect(v == 0 || v == 1 / 0.7)
                if v == 0 { zeros += 1 }
                total += 1
            }
        }
        let fraction = Double(zeros) / Double(total)
        #expect(fraction > 0.28 && fraction < 0.32, "\(fraction)")
        d.fillMask(node: 0, width: width, into: &mask)
        d.fillMask(node: 1, width: width, into: &other)
        Dropout(rate: 0.3, seed: 5, step: 13).fillMask(node: 0, width: width, into: &later)
        #expect(mask != other && mask != later)
    }

    /// Rates 0 (classifier, leaf and state) are the plain path: the same loss and gradient,
    /// bit for bit, as no dropout.
    @Test(arguments: allModels)
    func rateZeroIsBitIdenticalToNoDropout(kind: ModelKind) throws {
        let (data, layout) = try Self.setup(kind)
        let theta = layout.initialParameters(seed: 3)
        let model = TreeModel<Float>(layout: layout, parameters: theta, threads: 2)
        let trees = Array(0 ..< data.count)
        let plain = model.lossAndGradient(trees: trees, data: data, parameters: theta)
        let zero = model.lossAndGradient(
            trees: trees, data: data, parameters: theta,
            dropout: Dropout(rate: 0, seed: 1, step: 4, leafRate: 0, stateRate: 0))
        #expect(Dropout.forStep(3, rate: 0, seed: 1, words: nil, leafRate: 0, stateRate: 0) == nil)
        #expect(plain.loss.bitPattern == zero.loss.bitPattern)
        #expect(plain.gradient.densified().map(\.bitPattern) == zero.gradient.densified().map(\.bitPattern))
    }

    /// The masks follow the nodes, not the workers: one and two threads give the same loss
    /// and gradient up to summation order, which differ from the loss and gradient without
    /// dropout; and the same thread count repeats bit for bit.
    @Test(arguments: allModels)
    func threadsGiveTheSameGradientWithDropout(kind: ModelKind) throws {
        let (data, layout) = try Self.setup(kind)
        let theta = layout.initialParameters(seed: 3).map(Double.init)
        let trees = Array((0 ..< data.count).reversed())
        let dropout = Dropout(rate: 0.5, seed: 1, step: 7)
        let one = TreeModel<Double>(layout: layout, parameters: theta, threads: 1)
        let two = TreeModel<Double>(layout: layout, parameters: theta, threads: 2)
        let a = one.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let b = two.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let b2 = two.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let plain = one.lossAndGradient(trees: trees, data: data, parameters: theta)
        #expect(abs(a.loss - b.loss) < 1e-9 * a.loss)
        #expect(a.nodes == b.nodes)
        let ga = a.gradient.densified(), gb = b.gradient.densified()
        for (x, y) in zip(ga, gb) { #expect(abs(x - y) < 1e-9) }
        #expect(b.loss.bitPattern == b2.loss.bitPattern)
        #expect(gb.map(\.bitPattern) == b2.gradient.densified().map(\.bitPattern))
        // The Tree-LSTM's initial outputs are small, so its loss moves by less than 0.1%.
        #expect(abs(a.loss - plain.loss) > 1e-5 * plain.loss, "the mask changed nothing")
        #expect(zip(ga, plain.gradient.densified()).contains { abs($0 - $1) > 1e-6 })
    }

    /// Evaluation never drops: after a training pass with dropout (classifier, leaf and
    /// state), the same model evaluates exactly as a fresh one, and the trainer's reported
    /// dev scores are those of its parameters without dropout.
    @Test(arguments: allModels)
    func evaluationIgnoresDropout(kind: ModelKind) throws {
        let (data, layout) = try Self.setup(kind)
        let theta = layout.initialParameters(seed: 4)
        let used = TreeModel<Float>(layout: layout, parameters: theta, threads: 1)
        _ = used.lossAndGradient(
            trees: Array(0 ..< 10), data: data, parameters: theta,
            dropout: Dropout(rate: 0.5, seed: 2, step: 0, leafRate: 0.5, stateRate: 0.5))
        let fresh = TreeModel<Float>(layout: layout, parameters: theta, threads: 1)
        let (m1, o1) = used.evaluate(data, parameters: theta)
        let (m2, o2) = fresh.evaluate(data, parameters: theta)
        #expect(m1 == m2 && o1 == o2)
    }

    @Test func trainerReportsDevScoresWithoutDropout() throws {
        let train = try TestTreebanks.treebank(count: 60, seed: 1)
        let dev = try TestTreebanks.treebank(count: 20, seed: 2)
        var c = TrainingConfig()
        c.dim = 8; c.epochs = 2; c.batchSize = 5; c.threads = 1; c.seed = 42; c.dropout = 0.5
        let log = EventLog()
        let trainer = try Trainer(config: c, train: train, dev: dev, runDirectory: nil, onEvent: log.post)
        trainer.start(); trainer.wait()
        let last = try #require(log.epochs.last)
        let snapshot = last.dev.snapshot
        let devData = EncodedTreebank(dev, words: trainer.devWordIDs)
        let (metrics, outcomes) = TreeModel<Float>(layout: trainer.layout, parameters: snapshot.parameters)
            .evaluate(devData, parameters: snapshot.parameters)
        #expect(metrics == last.dev.metrics && outcomes == last.dev.outcomes)
        for t in 0 ..< dev.count {
            let p = snapshot.predict(tree: t, in: dev, wordIDs: trainer.devWordIDs)
            #expect(p.predicted.last == outcomes[t].predictedRoot)
        }
    }

    /// Dropout changes training, reproducibly; a run resumed at an epoch boundary draws the
    /// same masks as the uninterrupted run (they are keyed by the global step).
    @Test func trainingWithDropoutIsReproducibleAndResumesExactly() throws {
        let small = try SmallRun()
        func config(epochs: Int, dropout: Double?) -> TrainingConfig {
            small.config(epochs: epochs) { $0.dropout = dropout }
        }
        let straight = try small.run(config(epochs: 4, dropout: 0.3))
        #expect(try small.run(config(epochs: 4, dropout: 0.3)) == straight)
        #expect(try small.run(config(epochs: 4, dropout: 0)) == small.run(config(epochs: 4, dropout: nil)))
        #expect(try small.run(config(epochs: 4, dropout: nil)) != straight)
        let dir = temporaryDirectory()
        _ = try small.run(config(epochs: 2, dropout: 0.3), dir: dir)
        let checkpoint = try Checkpoint.read(from: dir + "/last.safetensors")
        #expect(checkpoint.config.dropout == 0.3)
        #expect(try small.run(config(epochs: 4, dropout: 0.3), dir: dir, resume: checkpoint) == straight)
    }

    /// A rate outside [0, 1) from a hand-edited run is an error, not a trap.
    @Test func trainerRefusesAnImpossibleRate() throws {
        let train = try TestTreebanks.treebank(count: 10, seed: 1)
        var c = TrainingConfig()
        c.dropout = 1
        #expect(throws: TrainerError.self) {
            try Trainer(config: c, train: train, dev: train, runDirectory: nil, onEvent: { _ in })
        }
    }
}

/// The small training run the dropout tests share: 60 trees, d = 8, batches of 5, one
/// thread, seed 42, judged on 20 other trees.
struct SmallRun {
    let train: Treebank, dev: Treebank

    init() throws {
        train = try TestTreebanks.treebank(count: 60, seed: 1)
        dev = try TestTreebanks.treebank(count: 20, seed: 2)
    }

    /// The run's settings for `epochs` epochs, with `change` applied.
    func config(epochs: Int, _ change: (inout TrainingConfig) -> Void) -> TrainingConfig {
        var c = TrainingConfig()
        c.dim = 8; c.epochs = epochs; c.batchSize = 5; c.threads = 1; c.seed = 42
        change(&c)
        return c
    }

    /// Trains `c` (in `dir`, resuming `resume` when given) and returns the final parameters.
    func run(_ c: TrainingConfig, dir: String? = nil, resume: Checkpoint? = nil) throws -> [Float] {
        let t = try Trainer(
            config: c, train: train, dev: dev, runDirectory: dir, resume: resume, onEvent: { _ in })
        t.start(); t.wait()
        return t.latestSnapshot!.parameters
    }
}
