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
