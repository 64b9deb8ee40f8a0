/// An immutable copy of a model's parameters, safe to read from any thread.
public final class ModelSnapshot: Sendable {
    public let layout: ParameterLayout
    /// Flat parameters in `layout` order.
    public let parameters: [Float]
    public let epoch: Int
    public let step: Int
    /// Packed once here so every prediction from this snapshot is cheap.
    let packed: PackedWeights<Float>

    public init(layout: ParameterLayout, parameters: [Float], epoch: Int, step: Int) {
        precondition(parameters.count == layout.count)
        self.layout = layout
        self.parameters = parameters
        self.epoch = epoch
        self.step = step
        packed = parameters.withUnsafeBufferPointer { PackedWeights(layout: layout, parameters: $0.baseAddress!) }
    }

    /// Per-node predictions for tree `t` of `treebank`, whose leaves have ids `wordIDs`.
    ///
    /// Safe to call from any thread; costs one forward pass of the tree.
    public func predict(tree t: Int, in treebank: Treebank, wordIDs: [Int32]) -> TreePrediction {
        let data = EncodedTreebank(treebank, words: wordIDs)
        let r = treebank.nodes(of: t)
        let ws = TreeWorkspace<Float>(layout: layout, capacity: r.count, gradients: false)
        _ = parameters.withUnsafeBufferPointer { params in
            data.withArrays { arrays in
                ws.forward(nodes: r, arrays: arrays, weights: packed, L: params.baseAddress! + layout.L.offset)
            }
        }
        var prediction = TreePrediction(probabilities: [], predicted: [])
        for i in 0 ..< r.count {
            let p = ws.probabilities(node: i)
            prediction.probabilities.append(Array(p))
            prediction.predicted.append(UInt8(argmax(p)))
        }
        return prediction
    }
}

/// Per-node predictions for one tree.
public struct TreePrediction: Sendable, Equatable {
    /// Class distribution per node, in the tree's post-order.     [n][C]
    public var probabilities: [[Float]]
    /// argmax of each node's distribution.                          [n]
    public var predicted: [UInt8]
}
