import Foundation

/// A seed ensemble's arithmetic: its members' class distributions averaged node by node
/// (the mean of their softmax outputs), and scored as one model's would be.
///
/// Members may differ in kind, vocabulary and width; only the distributions meet here, so
/// each member reads the trees with its own vocabulary before it gets here.
public enum Ensemble {
    /// The node-wise mean of `members`' distributions (each flat, `[nodes][classes]`).
    ///
    /// One member is returned unchanged, so an ensemble of one is exactly its model.
    public static func average(_ members: [[Float]]) -> [Float] {
        precondition(!members.isEmpty, "an ensemble needs a member")
        guard members.count > 1 else { return members[0] }
        precondition(Set(members.map(\.count)).count == 1, "members must score the same nodes")
        var sum = members[0]
        for m in members.dropFirst() {
            for k in sum.indices { sum[k] += m[k] }
        }
        let n = Float(members.count)
        return sum.map { $0 / n }
    }

    /// Per-node predictions for one tree: the mean of `members`' distributions and its argmax.
    public static func average(_ members: [TreePrediction]) -> TreePrediction {
        precondition(!members.isEmpty, "an ensemble needs a member")
        guard members.count > 1 else { return members[0] }
        let classes = members[0].probabilities.first?.count ?? 0
        let flat = average(members.map { Array($0.probabilities.joined()) })
        let nodes = stride(from: 0, to: flat.count, by: max(classes, 1)).map {
            Array(flat[$0 ..< $0 + classes])
        }
        return TreePrediction(probabilities: nodes, predicted: nodes.map { UInt8(argmax($0)) })
    }

    /// The SST metrics of flat distributions over `treebank`'s nodes, as `evaluate` scores a
    /// model: argmax per node, binary positive by `isPositive`, loss −log P(gold).
    public static func metrics(of probabilities: [Float], classes: Int, treebank: Treebank) -> Metrics {
        precondition(probabilities.count == treebank.nodeCount * classes, "one distribution per node")
        var metrics = Metrics(classes: classes)
        var predicted: [UInt8] = []
        for t in 0 ..< treebank.count {
            let r = treebank.nodes(of: t)
            predicted.removeAll(keepingCapacity: true)
            for i in r {
                let p = probabilities[i * classes ..< (i + 1) * classes]
                let label = UInt8(argmax(Array(p)))
                let gold = treebank.labels[i]
                metrics.count(
                    gold: gold, predicted: label, positive: isPositive(p), isRoot: i == r.upperBound - 1)
                if Int(gold) < classes {
                    // Clamped: a member sure of a wrong class must not make the loss infinite.
                    metrics.lossSum -= log(max(Double(p[p.startIndex + Int(gold)]), 1e-30))
                }
                predicted.append(label)
            }
            metrics.byLength.count(tree: t, of: treebank, predicted: predicted)
            metrics.trees += 1
        }
        return metrics
    }
}
