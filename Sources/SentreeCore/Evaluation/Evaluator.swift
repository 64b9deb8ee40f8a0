/// Scores a model on a treebank: the four SST metrics, confusion matrices, per-tree outcomes.
extension TreeModel {
    /// Trees per batched forward pass during evaluation.
    static var evaluationChunk: Int { 256 }

    /// Evaluates every tree of `data` with the current weights.
    ///
    /// Trees are sharded over the workers; counts are integers, so the result does not depend
    /// on the thread count (the summed loss may differ in the last bits).
    public func evaluate(_ data: EncodedTreebank, parameters: [T]) -> (metrics: Metrics, outcomes: [TreeOutcome]) {
        let weights = self.weights, layout = self.layout
        let bounds = Self.balancedBounds(prefix: data.treebank.treeStart.map(Int.init), parts: threads)
        let shards = runSharded(data.count, bounds: bounds) { ws, range in
            var metrics = Metrics(classes: layout.config.classes)
            var outcomes: [TreeOutcome] = []
            outcomes.reserveCapacity(range.count)
            parameters.withUnsafeBufferPointer { params in
                let L = params.baseAddress! + layout.L.offset
                data.withArrays { arrays in
                    weights.withPointers { w in
                        // Chunks bound the rows in flight; each is one batched forward.
                        for chunk in stride(from: range.lowerBound, to: range.upperBound, by: Self.evaluationChunk) {
                            let trees = chunk ..< min(range.upperBound, chunk + Self.evaluationChunk)
                            ws.forward(trees: trees, data: data, arrays: arrays, w: w, L: L)
                            let s = ws.schedule
                            for (k, t) in trees.enumerated() {
                                let r = data.treebank.nodes(of: t)
                                var loss: T = 0
                                var rootPrediction: UInt8 = 0
                                for i in r {
                                    let row = Int(s.rowOfNode[s.treeOffset[k] + i - r.lowerBound])
                                    let p = UnsafeBufferPointer(start: ws.Z + row * ws.Cp, count: ws.C)
                                    let predicted = UInt8(argmax(p))
                                    let isRoot = i == r.upperBound - 1
                                    if isRoot { rootPrediction = predicted }
                                    loss += ws.rowLoss[row]
                                    metrics.count(gold: arrays.labels[i], predicted: predicted,
                                                  positive: p[3] + p[4] > p[0] + p[1], isRoot: isRoot)
                                }
                                metrics.lossSum += Double(loss)
                                metrics.trees += 1
                                outcomes.append(TreeOutcome(tree: t, goldRoot: arrays.labels[r.upperBound - 1],
                                                            predictedRoot: rootPrediction, loss: Float(loss)))
                            }
                        }
                    }
                }
            }
            return (metrics, outcomes)
        }
        var metrics = Metrics(classes: layout.config.classes)
        var outcomes: [TreeOutcome] = []
        for (m, o) in shards {
            metrics.merge(m)
            outcomes += o
        }
        return (metrics, outcomes)
    }
}

/// Index of the largest entry (first one on ties).
func argmax<C: Collection>(_ values: C) -> Int where C.Element: Comparable, C.Index == Int {
    var best = values.startIndex
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

extension Metrics {
    /// Records one node. Unlabelled nodes are ignored; binary counts skip gold 2.
    mutating func count(gold: UInt8, predicted: UInt8, positive: Bool, isRoot: Bool) {
        let classes = confusionAll.count
        guard gold < classes else { return }
        confusionAll[Int(gold)][Int(predicted)] += 1
        if isRoot { confusionRoot[Int(gold)][Int(predicted)] += 1 }
        guard classes == 5, gold != 2 else { return }
        let correct = (gold > 2) == positive
        binaryAllTotal += 1
        if correct { binaryAllCorrect += 1 }
        if isRoot {
            binaryRootTotal += 1
            if correct { binaryRootCorrect += 1 }
        }
    }
}
