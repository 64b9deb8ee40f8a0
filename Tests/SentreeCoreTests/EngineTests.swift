import Testing
@testable import SentreeCore

@Suite struct EngineTests {
    /// SST train trees when the shared copy is there (deep, long, real), else synthetic ones.
    static let trees: EncodedTreebank = {
        let tb: Treebank
        if let dir = TestTreebanks.sstDirectory, let sst = try? Treebank.load(contentsOf: dir + "/train.txt")
        {
            tb = sst
        } else {
            tb = try! TestTreebanks.treebank(count: 400, seed: 3)
        }
        return EncodedTreebank(tb, words: Vocabulary.build(from: tb, lowercase: true).encode(tb))
    }()

    /// A spread-out minibatch: trees from everywhere in the file (it is sorted by sentiment).
    static func batch(_ size: Int, seed: UInt64) -> [Int] {
        var g = SplitMix64(seed: seed)
        var order = Array(0 ..< trees.count)
        order.shuffle(using: &g)
        return Array(order.prefix(size))
    }

    static func parameters<T: ModelScalar>(_ layout: ParameterLayout, _: T.Type) -> [T] {
        var g = SplitMix64(seed: 11)
        // Larger than the training init, so ReLUs are mixed on and off and errors are not tiny.
        return (0 ..< layout.count).map { _ in T(0.3 * g.normal()) }
    }

    /// Checks a batched Float64 loss and gradient against a per-node reference to 1e-12
    /// relative, tensor by tensor; every tensor must have a non-zero gradient to compare.
    static func expectMatchesReference(
        _ batched: (loss: Double, nodes: Int, gradient: Gradient<Double>),
        _ reference: (loss: Double, gradient: [Double]), layout: ParameterLayout,
        _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            abs(batched.loss - reference.loss) <= 1e-12 * abs(reference.loss), sourceLocation: sourceLocation)
        let b = batched.gradient.densified()
        for t in layout.tensors {
            let r = Array(reference.gradient[t.range])
            #expect(
                r.contains { $0 != 0 }, "\(t.name) has no gradient to compare", sourceLocation: sourceLocation
            )
            #expect(
                relativeDifference(Array(b[t.range]), r) < 1e-12, "\(context) \(t.name)",
                sourceLocation: sourceLocation)
        }
    }

    static func relativeDifference<T: ModelScalar>(_ a: [T], _ b: [T]) -> Double {
        var diff = 0.0, norm = 0.0
        for (x, y) in zip(a, b) {
            diff = max(diff, abs(Double(x) - Double(y)))
            norm = max(norm, abs(Double(y)))
        }
        return diff / max(norm, 1e-30)
    }

    /// The level-batched gradient equals the per-node reference: 1e-12 relative in Float64.
    @Test(arguments: [ModelKind.rnn, .rnn2], [(30, 30, 1), (18, 37, 2)])
    func batchedGradientMatchesThePerNodeReferenceInDouble(kind: ModelKind, shape: (Int, Int, Int)) {
        let data = Self.trees
        let layout = ParameterLayout(
            ModelConfig(
                kind: kind, dim: shape.0, middle: shape.1,
                vocabularySize: data.words.max().map { Int($0) + 1 }!))
        let theta = Self.parameters(layout, Double.self)
        let trees = Self.batch(50, seed: 1)
        let reference = TreeWorkspace<Double>.referenceLossAndGradient(
            layout: layout, parameters: theta,
            trees: trees, data: data)
        let model = TreeModel<Double>(layout: layout, parameters: theta, threads: shape.2)
        let batched = model.lossAndGradient(trees: trees, data: data, parameters: theta)
        #expect(abs(batched.loss - reference.loss) <= 1e-12 * abs(reference.loss))
        let r = reference.gradient.densified(), b = batched.gradient.densified()
        #expect(Self.relativeDifference(b, r) < 1e-12, "\(kind) \(shape)")
        for t in layout.tensors {
            #expect(
                Self.relativeDifference(Array(b[t.range]), Array(r[t.range])) < 1e-12, "\(kind) \(t.name)")
        }
    }

    /// And 1e-4 relative in Float32, the precision training runs in.
    @Test(arguments: [ModelKind.rnn, .rnn2])
    func batchedGradientMatchesThePerNodeReferenceInFloat(kind: ModelKind) {
        let data = Self.trees
        let layout = ParameterLayout(
            ModelConfig(kind: kind, dim: 30, vocabularySize: data.words.max().map { Int($0) + 1 }!))
        let theta = Self.parameters(layout, Float.self)
        let trees = Self.batch(25, seed: 2)
        let reference = TreeWorkspace<Float>.referenceLossAndGradient(
            layout: layout, parameters: theta,
            trees: trees, data: data)
        let batched = TreeModel<Float>(layout: layout, parameters: theta, threads: 2)
            .lossAndGradient(trees: trees, data: data, parameters: theta)
        #expect(abs(batched.loss - reference.loss) <= 1e-4 * abs(reference.loss))
        for t in layout.tensors {
            let r = reference.gradient.densified(), b = batched.gradient.densified()
            #expect(Self.relativeDifference(Array(b[t.range]), Array(r[t.range])) < 1e-4, "\(kind) \(t.name)")
        }
    }

    /// Batched evaluation predicts what the per-node forward predicts, node for node.
    @Test func batchedEvaluationMatchesPerNodePredictions() {
        let data = Self.trees
        let layout = ParameterLayout(
            ModelConfig(
                kind: .rnn2, dim: 20, middle: 24,
                vocabularySize: data.words.max().map { Int($0) + 1 }!))
        let theta = Self.parameters(layout, Float.self)
        let subset = Array(Self.batch(300, seed: 4).sorted())
        let tb = data.treebank
        let model = TreeModel<Float>(layout: layout, parameters: theta, threads: 2)
        let (metrics, outcomes) = model.evaluate(data, parameters: theta)
        #expect(outcomes.count == tb.count && metrics.trees == tb.count)
        let snapshot = ModelSnapshot(layout: layout, parameters: theta, epoch: 0, step: 0)
        for t in subset {
            let reference = snapshot.predict(tree: t, in: tb, wordIDs: data.words)
            #expect(outcomes[t].predictedRoot == reference.predicted.last!, "tree \(t)")
        }
    }

    /// The schedule puts every node after its children and groups nodes by height.
    @Test func scheduleOrdersNodesByHeight() throws {
        let data = Self.trees, tb = data.treebank
        var s = LevelSchedule()
        let trees = Self.batch(40, seed: 5)
        s.build(trees: trees, data: data)
        #expect(s.rows == trees.reduce(0) { $0 + tb.nodes(of: $1).count })
        var levelOf = [Int](repeating: -1, count: s.rows)
        for h in 0 ..< s.levels { for row in s.level(h) { levelOf[row] = h } }
        for (k, t) in trees.enumerated() {
            let r = tb.nodes(of: t)
            for g in r {
                let row = Int(s.rowOfNode[s.treeOffset[k] + g - r.lowerBound])
                #expect(Int(s.node[row]) == g)
                guard tb.left[g] >= 0 else {
                    #expect(levelOf[row] == 0 && s.leftRow[row] == -1)
                    continue
                }
                let l = Int(s.leftRow[row]), rr = Int(s.rightRow[row])
                #expect(Int(s.node[l]) == r.lowerBound + Int(tb.left[g]))
                #expect(Int(s.node[rr]) == r.lowerBound + Int(tb.right[g]))
                #expect(levelOf[row] == 1 + max(levelOf[l], levelOf[rr]))
            }
        }
    }
}
