/// A tree model ready to run: the model's engine on one or more worker threads.
///
/// Owned by one thread at a time (the trainer's queue, or the caller of the gradient
/// check). See `ShardedRunner` for how work is split, and `LevelEngine` for how it runs.
public final class TreeModel<T: ModelScalar> {
    public let layout: ParameterLayout
    let runner: ModelEngine<T>

    public init(layout: ParameterLayout, parameters: [T], threads: Int = 1, maxTreeSize: Int = 128) {
        self.layout = layout
        runner = layout.config.kind.engine(T.self, layout: layout, parameters: parameters, threads: threads,
                                           capacity: 32 * maxTreeSize, gradients: true)
    }

    public var threads: Int { runner.threads }

    /// Refreshes the packed copies after the canonical parameters changed.
    public func load(parameters: [T]) { runner.load(parameters: parameters) }

    /// Summed cross-entropy over `trees` and its (unscaled) gradient.
    ///
    /// Returns the loss sum over labelled nodes, their count, and the gradient summed over
    /// the trees, combined across workers in worker order. With `dropout` (training only),
    /// the softmax at every node reads its masked input (see `Dropout`).
    @_specialize(where T == Float)
    public func lossAndGradient(trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout? = nil)
        -> (loss: Double, nodes: Int, gradient: Gradient<T>) {
        runner.lossAndGradient(trees: trees, data: data, parameters: parameters, dropout: dropout)
    }

    /// Evaluates every tree of `data` with the current weights: the SST metrics, confusion
    /// matrices and per-tree outcomes (independent of the thread count).
    ///
    /// Specialized for Float here: a caller in another module (`sentree eval`) reaches only
    /// the generic entry point, which would otherwise run every kernel unspecialized.
    @_specialize(where T == Float)
    public func evaluate(_ data: EncodedTreebank, parameters: [T]) -> (metrics: Metrics, outcomes: [TreeOutcome]) {
        runner.evaluate(data, parameters: parameters)
    }
}

extension TreeModel where T == Float {
    /// One training step: loss and gradient of `trees`, then `optimizer`'s update of
    /// `parameters` for the objective (mean over the trees plus the L2 term), then a repack.
    ///
    /// Returns the summed cross-entropy and the number of labelled nodes.
    public func trainStep(trees: [Int], data: EncodedTreebank, parameters: inout [Float],
                          optimizer: inout Optimizer, learningRate: Double, l2: Float,
                          dropout: Dropout? = nil) -> (loss: Double, nodes: Int) {
        let (loss, nodes, shards) = runner.shardGradients(trees: trees, data: data, parameters: parameters,
                                                          dropout: dropout)
        optimizer.step(&parameters, shards: shards, scale: 1 / Float(trees.count), l2: l2,
                       learningRate: learningRate, pool: runner.pool)
        runner.load(parameters: parameters)
        return (loss, nodes)
    }
}
