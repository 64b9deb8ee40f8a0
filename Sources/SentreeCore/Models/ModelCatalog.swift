/// Which tree model to train.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// One ReLU composition layer, softmax on `h` at every node.
    case rnn
    /// Composition layer plus a second ReLU layer `h2 = relu(W2 h + b2)`, softmax on `h2`.
    case rnn2
    /// Recursive neural tensor network: `h = tanh(xᵀV[1:d]x + Wx + b)`, softmax on `h`.
    case rntn
    /// Binary constituency Tree-LSTM (Tai et al. 2015): gated memory cells, softmax on `h`.
    case treelstm
}

/// Where each kind of model's code is: the one switch a new model adds a case to.
extension ModelKind {
    /// The model's own tensors, between `L` and `U` in the layout.
    func tensors(_ config: ModelConfig) -> [TensorSpec] {
        switch self {
        case .rnn, .rnn2: RNNModel<Float>.tensors(config)
        case .rntn: RNTNModel<Float>.tensors(config)
        case .treelstm: TreeLSTMModel<Float>.tensors(config)
        }
    }

    /// FLOPs of the model's own products in one forward + backward pass.
    func flops(_ config: ModelConfig, leaves: Int, internalNodes: Int) -> Double {
        switch self {
        case .rnn, .rnn2: RNNModel<Float>.flops(config, leaves: leaves, internalNodes: internalNodes)
        case .rntn: RNTNModel<Float>.flops(config, leaves: leaves, internalNodes: internalNodes)
        case .treelstm: TreeLSTMModel<Float>.flops(config, leaves: leaves, internalNodes: internalNodes)
        }
    }

    /// The word width `--input-dim` defaults to, for models that read words through input
    /// weights; `nil` for models whose leaves are the word vectors themselves.
    public var defaultInputDim: Int? {
        switch self {
        case .rnn, .rnn2, .rntn: nil
        case .treelstm: TreeLSTMModel<Float>.defaultInputDim
        }
    }

    /// What `train` uses where the user gives no flag: the model's width and the settings
    /// that did best for it on dev (never test). See the README's results for each.
    public var trainingDefaults: TrainingConfig {
        var c = TrainingConfig()
        c.model = self
        c.dim = defaultDim
        c.inputDim = defaultInputDim
        switch self {
        case .rnn, .rnn2: break  // TrainingConfig's own defaults come from the rnn sweep
        case .rntn:
            // Dev sweep of 2026-11-25, seeds 1–3 (README, "RNTN and Tree-LSTM sweep on dev"):
            // lr 0.015 (before the reset below) with the paper's λ = 1e-3 raised the mean fine
            // root 44.2% → 44.9% and binary root 82.8% → 84.2% over lr 0.01, λ = 1e-4. At
            // lr ≥ 0.02 AdaGrad's first steps saturate the tensor term.
            c.l2 = 1e-3
            // Dev, seeds 1–3 (README): fine root 42.8% → 44.4% on average, better on every seed.
            c.dropout = 0.5
            // CoreNLP's AdaGrad reset, every epoch (README, "RNTN and Tree-LSTM sweep on dev",
            // 2026-11-25): with lr 0.006 (against lr 0.015 without it) the mean fine root rose
            // 44.9% → 45.4% on seeds 1–3 and 45.4% → 46.1% on seeds 4–6; binary root 84.2% →
            // 84.2% and 83.3% → 83.2%. A reset makes every parameter's next step ±lr, so at
            // lr 0.015 the run collapsed at the first reset.
            c.adagradReset = 1
            // With CoreNLP's initialization (RNTNModel.initialize) and its AdaGrad ε = 1e-3, lr
            // 0.008 (README, "The RNTN with CoreNLP's initialization and ε"): over seeds 1–9 a
            // mean fine root of 46.0% against 45.7% and binary root 84.0% against 84.0% at lr
            // 0.006 with the old initialization and ε. lr 0.011–0.012 collapses in some
            // seeds (the tanh units saturate mid-run), so 0.008 keeps a margin.
            c.learningRate = 0.008
            c.adagradEpsilon = 1e-3
            // Word dropout α = 1 (README, "Word dropout for the RNTN"): with two threads, the
            // mean dev fine root over seeds 1–9 rose 46.0% → 47.1% (higher on 8 of 9 seeds) and
            // binary root 83.8% → 85.0%; α = 0.5 and 2 gained less. It trains `<unk>`, which
            // 5% of the dev words read and which otherwise keeps its random start.
            c.wordDropout = 1
        case .treelstm:
            // The paper's settings. Dev sweep of 2026-11-25 with GloVe 50d, seeds 1–3, 20 epochs
            // (README, "RNTN and Tree-LSTM sweep on dev"): mean fine root 47.7% → 49.1%, better
            // on every seed, binary root 85.7% → 86.6%, over lr 0.02, λ = 1e-3. Dropout 0.2 or
            // 0.5 did not help with GloVe (README).
            c.learningRate = 0.05
            c.l2 = 1e-4
        }
        return c
    }

    /// The width `--dim` defaults to.
    public var defaultDim: Int {
        switch self {
        case .rnn, .rnn2: RNNModel<Float>.defaultDim
        case .rntn: RNTNModel<Float>.defaultDim
        case .treelstm: TreeLSTMModel<Float>.defaultDim
        }
    }

    /// Fills the model's own tensors with fresh training values.
    func initialize(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        switch self {
        case .rnn, .rnn2: RNNModel<Float>.initialize(&p, layout: layout, generator: &g)
        case .rntn: RNTNModel<Float>.initialize(&p, layout: layout, generator: &g)
        case .treelstm: TreeLSTMModel<Float>.initialize(&p, layout: layout, generator: &g)
        }
    }

    /// Fills the classifier `U` with fresh training values: `N(0, 1/o)` for a fan-in of o, or
    /// the RNTN's own (CoreNLP's).
    func initializeClassifier(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        switch self {
        case .rntn: RNTNModel<Float>.initializeClassifier(&p, layout: layout, generator: &g)
        case .rnn, .rnn2, .treelstm:
            let sd = (1 / Double(layout.config.outputWidth)).squareRoot()
            for i in layout.U.range { p[i] = Float(g.normal() * sd) }
        }
    }

    /// The engine of this model in precision `T` with `threads` workers.
    func engine<T: ModelScalar>(_: T.Type, layout: ParameterLayout, parameters: [T], threads: Int,
                                capacity: Int, gradients: Bool) -> ModelEngine<T> {
        switch self {
        case .rnn, .rnn2:
            .rnn(ShardedRunner(layout: layout, parameters: parameters, threads: threads,
                               capacity: capacity, gradients: gradients))
        case .rntn:
            .rntn(ShardedRunner(layout: layout, parameters: parameters, threads: threads,
                                capacity: capacity, gradients: gradients))
        case .treelstm:
            .treelstm(ShardedRunner(layout: layout, parameters: parameters, threads: threads,
                                    capacity: capacity, gradients: gradients))
        }
    }
}

/// A model's engine, whichever model it is.
///
/// An enum rather than an existential: a call through `any` reaches the runner's generic,
/// unspecialized code (hundreds of times slower); a switch calls the specialized one.
enum ModelEngine<T: ModelScalar>: Sendable {
    case rnn(ShardedRunner<RNNModel<T>>)
    case rntn(ShardedRunner<RNTNModel<T>>)
    case treelstm(ShardedRunner<TreeLSTMModel<T>>)

    var threads: Int {
        switch self {
        case .rnn(let r): r.threads
        case .rntn(let r): r.threads
        case .treelstm(let r): r.threads
        }
    }

    /// The worker threads of the runner.
    var pool: WorkerPool {
        switch self {
        case .rnn(let r): r.pool
        case .rntn(let r): r.pool
        case .treelstm(let r): r.pool
        }
    }

    func shardGradients(trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout?)
        -> (loss: Double, nodes: Int, shards: [Gradient<T>]) {
        switch self {
        case .rnn(let r): r.shardGradients(trees: trees, data: data, parameters: parameters, dropout: dropout)
        case .rntn(let r): r.shardGradients(trees: trees, data: data, parameters: parameters, dropout: dropout)
        case .treelstm(let r): r.shardGradients(trees: trees, data: data, parameters: parameters, dropout: dropout)
        }
    }

    func load(parameters: [T]) {
        switch self {
        case .rnn(let r): r.load(parameters: parameters)
        case .rntn(let r): r.load(parameters: parameters)
        case .treelstm(let r): r.load(parameters: parameters)
        }
    }

    func lossAndGradient(trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout?)
        -> (loss: Double, nodes: Int, gradient: Gradient<T>) {
        switch self {
        case .rnn(let r):
            r.lossAndGradient(trees: trees, data: data, parameters: parameters, dropout: dropout)
        case .rntn(let r):
            r.lossAndGradient(trees: trees, data: data, parameters: parameters, dropout: dropout)
        case .treelstm(let r):
            r.lossAndGradient(trees: trees, data: data, parameters: parameters, dropout: dropout)
        }
    }

    func evaluate(_ data: EncodedTreebank, parameters: [T]) -> (metrics: Metrics, outcomes: [TreeOutcome]) {
        switch self {
        case .rnn(let r): r.evaluate(data, parameters: parameters)
        case .rntn(let r): r.evaluate(data, parameters: parameters)
        case .treelstm(let r): r.evaluate(data, parameters: parameters)
        }
    }

    func predict(tree t: Int, data: EncodedTreebank, parameters: [T]) -> TreePrediction {
        switch self {
        case .rnn(let r): r.predict(tree: t, data: data, parameters: parameters)
        case .rntn(let r): r.predict(tree: t, data: data, parameters: parameters)
        case .treelstm(let r): r.predict(tree: t, data: data, parameters: parameters)
        }
    }
}
