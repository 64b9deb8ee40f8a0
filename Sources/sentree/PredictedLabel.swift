import SentreeCore

/// What `predict` shows for one node: the 5-class argmax for a fine model; for a binary-task
/// model the SST-2 decision, negative or positive by P(positive) > P(negative) (neutral is
/// never the answer), with the decided class's share of P(negative) + P(positive).
struct PredictedLabel: Equatable {
    /// The model class shown: the argmax (fine), or 0 (negative) / 2 (positive) (binary).
    let label: Int
    let name: String
    let probability: Float

    init(_ p: [Float], argmax: Int, task: SentimentTask) {
        guard task == .binary, p.count == 3 else {
            label = argmax
            name = task.classNames[argmax]
            probability = p[argmax]
            return
        }
        let positive = isPositive(p)
        label = positive ? 2 : 0
        name = task.classNames[label]
        let sides = p[0] + p[2]
        probability = sides > 0 ? p[label] / sides : 0.5
    }

    /// `"  gold G  "`, `"  gold G ✗"` for an input's SST gold label `gold` (0…4), or nothing for an
    /// unlabeled node; for a binary model only a gold side (not 2) can be wrong.
    func goldMark(_ gold: UInt8, task: SentimentTask) -> String {
        guard gold != Treebank.unlabeled else { return "" }
        let wrong =
            task == .binary
            ? gold != 2 && (gold > 2) != (label == 2)
            : Int(gold) != label
        return wrong ? "  gold \(gold) ✗" : "  gold \(gold)  "
    }
}
