/// An immutable copy of a model's parameters, safe to read from any thread.
public final class ModelSnapshot: Sendable {
    public let layout: ParameterLayout
    /// Flat parameters in `layout` order.
    public let parameters: [Float]
    public let epoch: Int
    public let step: Int

    public init(layout: ParameterLayout, parameters: [Float], epoch: Int, step: Int) {
        precondition(parameters.count == layout.count)
        self.layout = layout
        self.parameters = parameters
        self.epoch = epoch
        self.step = step
    }
}

/// Per-node predictions for one tree.
public struct TreePrediction: Sendable, Equatable {
    /// Class distribution per node, in the tree's post-order.     [n][C]
    public var probabilities: [[Float]]
    /// argmax of each node's distribution.                          [n]
    public var predicted: [UInt8]
}
