/// An immutable copy of a model's parameters, safe to read from any thread.
public final class ModelSnapshot: Sendable {
    public let layout: ParameterLayout
    /// Flat parameters in `layout` order.
    public let parameters: [Float]
    public let epoch: Int
    public let step: Int
    /// A forward-only engine, packed once here so every prediction from this snapshot is cheap.
    let runner: ModelEngine<Float>

    /// `threads`: how many threads may predict at once, each with its own `member` (see
    /// `predict`); others share one engine and wait for it in turn.
    public init(layout: ParameterLayout, parameters: [Float], epoch: Int, step: Int, threads: Int = 1) {
        precondition(parameters.count == layout.count)
        self.layout = layout
        self.parameters = parameters
        self.epoch = epoch
        self.step = step
        runner = layout.config.kind.engine(
            Float.self, layout: layout, parameters: parameters, threads: max(1, threads),
            capacity: 256, gradients: false)
    }

    /// Per-node predictions for tree `t` of `treebank`, whose leaves have ids `wordIDs`.
    ///
    /// Safe to call from any thread; costs one forward pass of the tree. Threads that give
    /// different `member`s (below the `threads` of `init`) run on engines of their own.
    public func predict(
        tree t: Int, in treebank: Treebank, wordIDs: [Int32], member: Int = 0
    )
        -> TreePrediction
    {
        runner.predict(t, EncodedTreebank(treebank, words: wordIDs), parameters, member)
    }
}
