import SentreeCore

/// The accuracy lines `eval` prints, worded for the checkpoint's task: a fine model's four
/// SST figures as always; a binary-task model's binary root first (its own measure), then the
/// argmax over its 3 classes.
func accuracyLines(_ m: Metrics, task: SentimentTask) -> [String] {
    guard task == .binary else {
        return [
            "fine all     \(percent(m.fineAll))",
            "fine root    \(percent(m.fineRoot))",
            "binary root  \(percent(m.binaryRoot))  (\(m.binaryRootTotal) roots with gold ≠ 2)",
            "binary all   \(percent(m.binaryAll))  (\(m.binaryAllTotal) nodes with gold ≠ 2)",
        ]
    }
    return [
        "\(task.description): sentences with a neutral root dropped; positive iff P(positive) > P(negative)",
        "binary root  \(percent(m.binaryRoot))  (\(m.binaryRootTotal) roots)",
        "binary all   \(percent(m.binaryAll))  (\(m.binaryAllTotal) nodes with a non-neutral gold label)",
        "3-class all  \(percent(m.fineAll))  (negative / neutral / positive, all \(m.nodes) nodes)",
        "3-class root \(percent(m.fineRoot))",
    ]
}

/// The confusion matrix's heading and legend: class numbers, named for the binary task.
func confusionLegend(_ task: SentimentTask) -> String? {
    guard task == .binary else { return nil }
    return task.classNames.enumerated().map { "\($0) \($1)" }.joined(separator: ", ")
}
