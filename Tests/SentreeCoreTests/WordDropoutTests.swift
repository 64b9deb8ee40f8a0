import Testing
@testable import SentreeCore

/// Word dropout (`WordDropout`): training leaves read `<unk>` with probability α/(c + α).
@Suite struct WordDropoutTests {
    static let allModels = DropoutTests.allModels

    /// With the replaced leaves fixed, the gradient is exact: every parameter of every model
    /// against finite differences in Float64, below 1e-6, alone and with a dropout mask. A
    /// backward pass that sent a replaced leaf's error to its own word instead of `<unk>`
    /// would fail on `L`.
    @Test(arguments: allModels, [(7, 6, 1, 0.0), (18, 17, 3, 0.3)])
    func gradientCheckPassesWithFixedReplacements(kind: ModelKind, shape: (Int, Int, Int, Double)) {
        let inputDim = kind.defaultInputDim == nil ? nil : shape.1
        let report = GradientCheck.run(
            kind: kind, dim: shape.0, middle: shape.1, inputDim: inputDim,
            trees: 6, dropout: shape.3, wordDropout: 2, threads: shape.2)
        for t in report.tensors {
            #expect(t.maxRelativeError < 1e-6, "\(kind) \(t.name): \(t.maxRelativeError)")
        }
        #expect(report.passed)
    }

    /// A word seen c times is replaced with probability α/(c + α): exactly in the thresholds,
    /// and in frequency over many draws; `<unk>` is never "replaced", α = 0 replaces nothing,
    /// and a draw is a function of (seed, step, node) alone.
    @Test func replacementFollowsTheCount() {
        let words = WordDropout(alpha: 1, counts: [0, 1, 3, 99, 0])
        let expected = [0, 0.5, 0.25, 0.01, 1]
        for (word, p) in expected.enumerated() {
            #expect(abs(words.replacementProbability(of: word) - p) < 1e-9, "word \(word)")
        }
        let dropout = Dropout(rate: 0, seed: 5, step: 12, words: words)
        let draws = 40_000
        var replaced = [Int](repeating: 0, count: 5)
        for node in 0 ..< draws {
            for word in 0 ..< 5 {
                let read = dropout.leafWord(Int32(word), node: node)
                #expect(read == Int32(word) || read == 0)
                #expect(read == dropout.leafWord(Int32(word), node: node))
                if read != Int32(word) { replaced[word] += 1 }
            }
        }
        #expect(replaced[0] == 0 && replaced[4] == draws)
        for word in 1 ... 3 {
            let fraction = Double(replaced[word]) / Double(draws)
            #expect(abs(fraction - expected[word]) < 0.01, "word \(word): \(fraction)")
        }
        let later = Dropout(rate: 0, seed: 5, step: 13, words: words)
        let otherSeed = Dropout(rate: 0, seed: 6, step: 12, words: words)
        let pattern = { (d: Dropout) in (0 ..< 200).map { d.leafWord(1, node: $0) } }
        #expect(pattern(dropout) != pattern(later) && pattern(dropout) != pattern(otherSeed))
        let none = Dropout(rate: 0, seed: 5, step: 12, words: WordDropout(alpha: 0, counts: [0, 1, 3]))
        #expect((0 ..< 1000).allSatisfy { none.leafWord(1, node: $0) == 1 })
    }

    /// The counts come from the training trees' leaves.
    @Test func countsComeFromTheTrainingLeaves() throws {
        let (data, layout) = try DropoutTests.setup(.rnn)
        let words = WordDropout(alpha: 3, train: data, vocabularySize: layout.config.vocabularySize)
        var counts = [Int](repeating: 0, count: layout.config.vocabularySize)
        for w in data.words where w >= 0 { counts[Int(w)] += 1 }
        #expect(Set(counts.dropFirst()).count > 3, "the treebank's words should occur unevenly")
        for (word, c) in counts.enumerated() where word > 0 {
            #expect(abs(words.replacementProbability(of: word) - 3 / (Double(c) + 3)) < 1e-9)
        }
    }

    /// Replacements follow the nodes, not the workers: one and two threads give the same loss
    /// and gradient up to summation order. Without word dropout `<unk>` (row 0 of `L`) gets
    /// no gradient from these trees, whose every word is in the vocabulary; with it, it does.
    @Test(arguments: allModels)
    func threadsGiveTheSameGradientAndUnknownGetsTheReplacedLeaves(kind: ModelKind) throws {
        let (data, layout) = try DropoutTests.setup(kind)
        let theta = layout.initialParameters(seed: 3).map(Double.init)
        let trees = Array((0 ..< data.count).reversed())
        let words = WordDropout(alpha: 2, train: data, vocabularySize: layout.config.vocabularySize)
        let dropout = Dropout(rate: 0, seed: 1, step: 7, words: words)
        let one = TreeModel<Double>(layout: layout, parameters: theta, threads: 1)
        let two = TreeModel<Double>(layout: layout, parameters: theta, threads: 2)
        let a = one.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let b = two.lossAndGradient(trees: trees, data: data, parameters: theta, dropout: dropout)
        let plain = one.lossAndGradient(trees: trees, data: data, parameters: theta)
        #expect(abs(a.loss - b.loss) < 1e-9 * a.loss && a.nodes == b.nodes)
        let ga = a.gradient.densified(), gb = b.gradient.densified(), gp = plain.gradient.densified()
        for (x, y) in zip(ga, gb) { #expect(abs(x - y) < 1e-9) }
        let x = layout.config.inputWidth
        let unknown = layout.L.offset ..< layout.L.offset + x
        #expect(unknown.allSatisfy { gp[$0] == 0 })
        #expect(unknown.contains { ga[$0] != 0 }, "no leaf was replaced")
    }

    /// In training, `<unk>`'s vector moves only with word dropout; a run with it repeats bit
    /// for bit, α = 0 is the same as no word dropout, and a run resumed at an epoch boundary
    /// replaces the same leaves as the uninterrupted run.
    @Test func trainingTrainsTheUnknownVectorReproduciblyAndResumesExactly() throws {
        let small = try SmallRun()
        func config(epochs: Int, alpha: Double?) -> TrainingConfig {
            small.config(epochs: epochs) { $0.wordDropout = alpha }
        }
        let c = config(epochs: 4, alpha: 1)
        let vocabulary = Vocabulary.build(from: small.train, lowercase: true)
        let layout = ParameterLayout(
            ModelConfig(
                kind: .rnn, dim: 8, middle: 8, inputDim: nil,
                vocabularySize: vocabulary.count))
        let initial = layout.initialParameters(seed: 42)
        let unknown = layout.L.offset ..< layout.L.offset + 8
        let straight = try small.run(c)
        let plain = try small.run(config(epochs: 4, alpha: nil))
        #expect(unknown.allSatisfy { plain[$0] == initial[$0] })
        #expect(unknown.contains { straight[$0] != initial[$0] })
        #expect(try small.run(c) == straight)
        #expect(try small.run(config(epochs: 4, alpha: 0)) == plain)
        let dir = temporaryDirectory()
        _ = try small.run(config(epochs: 2, alpha: 1), dir: dir)
        let checkpoint = try Checkpoint.read(from: dir + "/last.safetensors")
        #expect(checkpoint.config.wordDropout == 1)
        #expect(try small.run(c, dir: dir, resume: checkpoint) == straight)
    }

    /// A negative or non-finite α from a hand-edited run is an error, not a trap.
    @Test(arguments: [-1, Double.nan, Double.infinity])
    func trainerRefusesAnImpossibleAlpha(_ alpha: Double) throws {
        let train = try TestTreebanks.treebank(count: 10, seed: 1)
        var c = TrainingConfig()
        c.wordDropout = alpha
        #expect(throws: TrainerError.self) {
            try Trainer(config: c, train: train, dev: train, runDirectory: nil, onEvent: { _ in })
        }
    }
}
