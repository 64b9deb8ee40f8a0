/// A tree model ready to run: the model's engine on one or more worker threads.
///
/// Owned by one thread at a time (the trainer's queue, or the caller of the gradient
/// check). See `ShardedRunner` for how work is split, and `LevelEngine` for how it runs.
public final class TreeModel<T: ModelScalar> {
    public let layout: ParameterLayout
    let runner: ModelEngine<T>

    public init(layout: ParameterLayout, parameters: [T], threads: Int = 1, maxTreeSize: Int = 128) {
        self.layout = layout
        runner = layout.config.kind.engine(
            T.self, layout: layout, parameters: parameters, threads: threads,
            capacity: Self.initialRows(maxTreeSize: maxTreeSize), gradients: true)
    }

    /// Node rows each worker allocates up front: a minibatch of SST-sized trees without
    /// growing (32 of the largest, 3,296 rows for SST), but never 32 copies of one huge tree:
    /// a treebank holding one 20,000-node tree made that 640,000 rows, 18 GB for the
    /// Tree-LSTM. Workspaces still grow on demand to what a minibatch really holds.
    static func initialRows(maxTreeSize: Int) -> Int {
        min(32 * maxTreeSize, max(maxTreeSize, 4096))
    }

    public var threads: Int { runner.threads }

    /// Refreshes the packed copies after the canonical parameters changed.
    public func load(parameters: [T]) { runner.load(parameters) }

    /// Summed cross-entropy over `trees` and its (unscaled) gradient.
    ///
    /// Returns the loss sum over labelled nodes, their count, and the gradient summed over
    /// the trees, combined across workers in worker order. With `dropout` (training only),
    /// the softmax at every node reads its masked input (see `Dropout`).
    @_specialize(where T == Float)
    public func lossAndGradient(
        trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout? = nil
    )
        -> (loss: Double, nodes: Int, gradient: Gradient<T>)
    {
        runner.lossAndGradient(trees, data, parameters, dropout)
    }

    /// Summed cross-entropy over `trees` and one unmerged gradient per worker, in worker
    /// order, for an optimizer that merges them itself (see `Optimizer.step`).
    @_specialize(where T == Float)
    public func shardGradients(
        trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout? = nil
    )
        -> (loss: Double, nodes: Int, shards: [Gradient<T>])
    {
        runner.shardGradients(trees, data, parameters, dropout)
    }

    /// The worker threads, which an optimizer's update may share.
    var pool: WorkerPool { runner.pool }

    /// Evaluates every tree of `data` with the current weights: the SST metrics, confusion
    /// matrices and per-tree outcomes (independent of the thread count).
    ///
    /// Specialized for Float here: a caller in another module (`sentree eval`) reaches only
    /// the generic entry point, which would otherwise run every kernel unspecialized.
    @_specialize(where T == Float)
    public func evaluate(
        _ data: EncodedTreebank, parameters: [T]
    ) -> (metrics: Metrics, outcomes: [TreeOutcome]) {
        runner.evaluate(data, parameters)
    }

    /// Every node's class distribution, flat in node order (`[nodeCount][classes]`): the
    /// input of `Ensemble` (independent of the thread count).
    @_specialize(where T == Float)
    public func nodeProbabilities(_ data: EncodedTreebank, parameters: [T]) -> [Float] {
        runner.nodeProbabilities(data, parameters)
    }
}
