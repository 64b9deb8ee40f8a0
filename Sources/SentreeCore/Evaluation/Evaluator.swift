/// Index of the largest entry (first one on ties).
func argmax<C: Collection>(_ values: C) -> Int where C.Element: Comparable, C.Index == Int {
    var best = values.startIndex
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

extension Metrics {
    /// Records one node. Unlabelled nodes are ignored; binary counts skip neutral gold (2 of
    /// the 5 classes, 1 of the binary task's 3).
    mutating func count(gold: UInt8, predicted: UInt8, positive: Bool, isRoot: Bool) {
        let classes = confusionAll.count
        guard gold < classes else { return }
        confusionAll[Int(gold)][Int(predicted)] += 1
        if isRoot { confusionRoot[Int(gold)][Int(predicted)] += 1 }
        guard let task = SentimentTask(classes: classes), gold != task.neutral else { return }
        let correct = (gold > task.neutral) == positive
        binaryAllTotal += 1
        if correct { binaryAllCorrect += 1 }
        if isRoot {
            binaryRootTotal += 1
            if correct { binaryRootCorrect += 1 }
        }
    }
}
