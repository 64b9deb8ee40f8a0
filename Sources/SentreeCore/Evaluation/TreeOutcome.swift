/// How one dev tree fared in an evaluation (for the tree browser).
public struct TreeOutcome: Sendable, Equatable {
    public var tree: Int
    public var goldRoot: UInt8
    public var predictedRoot: UInt8
    /// Cross-entropy summed over the tree's labelled nodes.
    public var loss: Float
    public var correct: Bool { goldRoot == predictedRoot }

    public init(tree: Int, goldRoot: UInt8, predictedRoot: UInt8, loss: Float) {
        self.tree = tree; self.goldRoot = goldRoot; self.predictedRoot = predictedRoot; self.loss = loss
    }
}
