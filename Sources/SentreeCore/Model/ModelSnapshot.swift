/// An immutable copy of a model's parameters, safe to read from any thread.
public final class ModelSnapshot: Sendable {
    public let layout: ParameterLayout
    /// Flat parameters in `layout` order.
    public let parameters: [Float]
    public let epoch: Int
    public let step: Int
    /// A forward-only engine, packed once here so every prediction from this snapshot is cheap.
    let runner: ModelEngine<Float>

    public init(layout: ParameterLayout, parameters: [Float], epoch: Int, step: Int) {
        precondition(parameters.count == layout.count)
        self.layout = layout
        self.parameters = parameters
        self.epoch = epoch
        self.step = step
        runner = layout.config.kind.engine(Float.self, layout: layout, parameters: parameters, threads: 1,
                                           capacity: 256, gradients: false)
    }

    /// Per-node predictions for tree `t` of `treebank`, whose leaves have ids `wordIDs`.
    ///
    /// Safe to call from any thread; costs one forward pass of the tree.
    public func predict(tree t: Int, in treebank: Treebank, wordIDs: [Int32]) -> TreePrediction {
        runner.predict(tree: t, data: EncodedTreebank(treebank, words: wordIDs), parameters: parameters)
    }
}

/// Per-node predictions for one tree.
public struct TreePrediction: Sendable, Equatable {
    /// Class distribution per node, in the tree's post-order.     [n][C]
    public var probabilities: [[Float]]
    /// argmax of each node's distribution.                          [n]
    public var predicted: [UInt8]

    public init(probabilities: [[Float]], predicted: [UInt8]) {
        self.probabilities = probabilities
        self.predicted = predicted
    }
}
