import Foundation
import Testing
@testable import SentreeCore

/// The training recipe's options: dropout on the leaf input (`--leaf-dropout`), on the
/// recurrent state (`--state-dropout`), and the classifier's hidden layer
/// (`--classifier-hidden`).
@Suite struct RecipeOptionsTests {
    /// One option of the recipe, as the gradient check and the trainer take it.
    struct Option: CustomTestStringConvertible, Sendable {
        let name: String
        var leaf = 0.0, state = 0.0, hidden = 0
        var testDescription: String { name }

        func apply(_ c: inout TrainingConfig) {
            c.leafDropout = leaf > 0 ? leaf : nil
            c.stateDropout = state > 0 ? state : nil
            c.classifierHidden = hidden > 0 ? hidden : nil
        }
    }

    static let options = [
        Option(name: "leaf", leaf: 0.4), Option(name: "state", state: 0.4), Option(name: "hidden", hidden: 5),
    ]

    /// With fixed masks, the hand-written gradient of each option is exact, for every model:
    /// every parameter (the hidden layer's Wc and bc among them) against finite differences
    /// in Float64, below 1e-6.
    @Test(arguments: ModelKind.allCases, options)
    func gradientCheckPasses(kind: ModelKind, option: Option) {
        let report = GradientCheck.run(
            kind: kind, inputDim: kind.defaultInputDim == nil ? nil : 6, leafDropout: option.leaf,
            stateDropout: option.state, classifierHidden: option.hidden)
        for t in report.tensors {
            #expect(t.maxRelativeError < 1e-6, "\(kind) \(option.name) \(t.name): \(t.maxRelativeError)")
        }
        #expect(report.passed)
        #expect(report.tensors.contains { $0.name == "Wc" } == (option.hidden > 0))
    }

    /// All of them at once, with the classifier's dropout, past one SIMD chunk (d = 18,
    /// H = 17) and split over 3 threads.
    @Test(arguments: ModelKind.allCases)
    func gradientCheckPassesWithEverythingOn(kind: ModelKind) {
        let report = GradientCheck.run(
            kind: kind, dim: 18, middle: 17, inputDim: kind.defaultInputDim == nil ? nil : 17,
            dropout: 0.3, leafDropout: 0.3, stateDropout: 0.3, classifierHidden: 17, threads: 3)
        for t in report.tensors {
            #expect(t.maxRelativeError < 1e-6, "\(kind) \(t.name): \(t.maxRelativeError)")
        }
        #expect(report.passed)
    }

    /// Each mask has its own stream: the leaf, state and classifier masks of one node differ,
    /// and each drops about its own rate.
    @Test func theThreeMasksAreIndependent() {
        let d = Dropout(rate: 0.3, seed: 5, step: 12, leafRate: 0.3, stateRate: 0.3)
        var classifier = [Double](repeating: -1, count: 64), leaf = classifier, state = classifier
        var dropped = [0, 0]
        for node in 0 ..< 100 {
            d.fillMask(node: node, width: 64, into: &classifier)
            d.fillLeafMask(node: node, width: 64, into: &leaf)
            d.fillStateMask(node: node, width: 64, into: &state)
            #expect(classifier != leaf && leaf != state && classifier != state)
            dropped[0] += leaf.filter { $0 == 0 }.count
            dropped[1] += state.filter { $0 == 0 }.count
            #expect(leaf.allSatisfy { $0 == 0 || $0 == 1 / 0.7 })
        }
        for n in dropped { #expect(n > 1_700 && n < 2_150, "\(n) of 6400") }
    }

    /// The masks follow the nodes, not the workers: one and two threads give the same loss
    /// and gradient (up to summation order) with each dropout option, and the option moves
    /// them away from the plain pass.
    @Test(
        arguments: ModelKind.allCases, [Option(name: "leaf", leaf: 0.5), Option(name: "state", state: 0.5)])
    func threadsGiveTheSameGradient(kind: ModelKind, option: Option) throws {
        let (data, layout) = try DropoutTests.setup(kind)
        let theta = layout.initialParameters(seed: 3).map(Double.init)
        let trees = Array((0 ..< data.count).reversed())
        let dropout = Dropout(rate: 0, seed: 1, step: 7, leafRate: option.leaf, stateRate: option.state)
        let one = TreeModel<Double>(layout: layout, parameters: theta, threads: 1)
        let two = TreeModel<Double>(layout: layout, parameters: theta, threads: 2)
        let a = one.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let b = two.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let plain = one.lossAndGradient(trees: trees, data: data, parameters: theta)
        #expect(abs(a.loss - b.loss) < 1e-9 * a.loss)
        let ga = a.gradient.densified(), gb = b.gradient.densified()
        for (x, y) in zip(ga, gb) { #expect(abs(x - y) < 1e-9) }
        #expect(
            zip(ga, plain.gradient.densified()).contains { abs($0 - $1) > 1e-6 }, "the mask changed nothing")
    }

    /// Each option changes training, reproducibly; with the option on, a run resumed at an
    /// epoch boundary continues exactly (the checkpoint holds the option, and for the hidden
    /// layer its tensors and their AdaGrad sums).
    @Test(arguments: [ModelKind.rnn, .treelstm], options)
    func eachOptionChangesTrainingAndResumesExactly(kind: ModelKind, option: Option) throws {
        let small = try SmallRun()
        func config(epochs: Int, on: Bool) -> TrainingConfig {
            small.config(epochs: epochs) {
                $0.model = kind
                $0.inputDim = kind.defaultInputDim == nil ? nil : 6
                if on { option.apply(&$0) }
            }
        }
        let straight = try small.run(config(epochs: 4, on: true))
        #expect(try small.run(config(epochs: 4, on: true)) == straight)
        let plain = try small.run(config(epochs: 4, on: false))
        if option.hidden > 0 {
            #expect(plain.count < straight.count)
        } else {
            #expect(plain != straight)
        }
        let dir = temporaryDirectory()
        _ = try small.run(config(epochs: 2, on: true), dir: dir)
        let checkpoint = try Checkpoint.read(from: dir + "/last.safetensors")
        #expect(checkpoint.config.leafDropout == config(epochs: 2, on: true).leafDropout)
        #expect(checkpoint.config.stateDropout == config(epochs: 2, on: true).stateDropout)
        #expect(checkpoint.model.classifierHidden == (option.hidden > 0 ? option.hidden : nil))
        #expect(try small.run(config(epochs: 4, on: true), dir: dir, resume: checkpoint) == straight)
    }

    /// The hidden layer sits in the one parameter vector, between the model's tensors and U:
    /// Wc [H × o] (L2-decayed, with U's strength) and bc [H]; U is [C × H].
    @Test func theHiddenLayerIsPartOfTheLayout() {
        let plain = ParameterLayout(ModelConfig(kind: .rnn2, dim: 6, middle: 4, vocabularySize: 10))
        let layout = ParameterLayout(
            ModelConfig(kind: .rnn2, dim: 6, middle: 4, vocabularySize: 10, classifierHidden: 3))
        #expect(layout.tensors.map(\.name) == ["L", "W", "b", "W2", "b2", "Wc", "bc", "U", "bs"])
        #expect(layout.Wc?.shape == [3, 4] && layout.Wc?.regularized == true)
        #expect(layout.bc?.shape == [3] && layout.bc?.regularized == false)
        #expect(layout.U.shape == [5, 3])
        #expect(layout.count == plain.count + 3 * 4 + 3 + 5 * 3 - 5 * 4)
        var optimizer = Optimizer(kind: .adagrad, layout: layout)
        optimizer.classifierL2 = 0.5
        let strengths = optimizer.decayedRanges(l2: 0.1).map(\.strength)
        #expect(strengths == [0.1, 0.1, 0.5, 0.5])
        // Fresh parameters: without the layer the draws are as before, so runs are unchanged.
        let p = layout.initialParameters(seed: 1), q = plain.initialParameters(seed: 1)
        #expect(Array(p[..<plain.U.offset]) == Array(q[..<plain.U.offset]))
        #expect(p[layout.bc!.range].allSatisfy { $0 == 0 })
        #expect(Set(p[layout.Wc!.range]).count == 12)
    }

    /// Old runs have none of the three fields: they load as off, and a config with them off
    /// encodes exactly as before (no new keys in run.json or the checkpoints).
    @Test func oldConfigsLoadWithTheOptionsOff() throws {
        var c = TrainingConfig()
        c.dropout = 0.5
        let json = try JSONEncoder().encode(c)
        let text = String(decoding: json, as: UTF8.self)
        #expect(
            !text.contains("leafDropout") && !text.contains("stateDropout")
                && !text.contains("classifierHidden"))
        let back = try JSONDecoder().decode(TrainingConfig.self, from: json)
        #expect(back.leafDropout == nil && back.stateDropout == nil && back.classifierHidden == nil)
        let model = ModelConfig(kind: .treelstm, dim: 4, inputDim: 3, vocabularySize: 9)
        #expect(
            !String(decoding: try JSONEncoder().encode(model), as: UTF8.self).contains("classifierHidden"))
        c.leafDropout = 0.25; c.stateDropout = 0.1; c.classifierHidden = 64
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(c)) == c)
        #expect(c.settingDescriptions.contains("leaf dropout 0.25  state dropout 0.1"))
        #expect(c.dropoutCell == "0.5 x0.25 h0.1")
        #expect(c.shapeDescription == "rnn d=30 mlp=64")
    }

    /// Rates outside [0, 1) and impossible widths, from a hand-edited run, are errors naming
    /// the setting, not traps.
    @Test func impossibleValuesAreRefused() throws {
        let train = try TestTreebanks.treebank(count: 10, seed: 1)
        for change in [
            { (c: inout TrainingConfig) in c.leafDropout = 1 }, { $0.stateDropout = -0.1 },
            { $0.classifierHidden = -1 }, { $0.classifierHidden = 70_000 },
        ] {
            var c = TrainingConfig()
            change(&c)
            #expect(throws: TrainerError.self) {
                try Trainer(config: c, train: train, dev: train, runDirectory: nil, onEvent: { _ in })
            }
        }
        #expect(
            TrainingConfig.problem(.leafDropout, 1)?.flagDescription.hasPrefix("--leaf-dropout must") == true)
        #expect(TrainingConfig.problem(.stateDropout, 0.5) == nil)
        #expect(TrainingConfig.problem(.classifierHidden, 0) == nil)
        #expect(
            TrainingConfig.problem(.classifierHidden, 2.5)?.flagDescription.hasPrefix("--classifier-hidden")
                == true)
    }
}
