/// A confusion matrix read the way the dashboard shows it: counts and row-normalized rates.
///
/// Rows are gold classes, columns predicted classes (`counts[gold][predicted]`), as in
/// `Metrics` and CoreNLP's `Evaluate`.
public struct ConfusionTable: Equatable, Sendable {
    public let counts: [[Int]]

    public init(counts: [[Int]]) {
        precondition(counts.allSatisfy { $0.count == counts.count }, "a confusion matrix is square")
        self.counts = counts
    }

    public var classes: Int { counts.count }
    /// Nodes per gold class.
    public var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }
    public var total: Int { rowTotals.reduce(0, +) }
    /// Diagonal over total, in 0...1 (0 when empty).
    public var accuracy: Double {
        let correct = counts.indices.reduce(0) { $0 + counts[$1][$1] }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }

    /// The share of gold-`gold` nodes predicted `predicted`, in 0...1; nil for a class with no nodes.
    public func rate(gold: Int, predicted: Int) -> Double? {
        let row = rowTotals[gold]
        return row == 0 ? nil : Double(counts[gold][predicted]) / Double(row)
    }

    /// Recall of each gold class (the normalized diagonal); nil for a class with no nodes.
    public var recall: [Double?] { counts.indices.map { rate(gold: $0, predicted: $0) } }
}

extension Metrics {
    /// The all-nodes confusion matrix as a table.
    public var allNodes: ConfusionTable { ConfusionTable(counts: confusionAll) }
    /// The roots-only confusion matrix as a table.
    public var rootNodes: ConfusionTable { ConfusionTable(counts: confusionRoot) }
}
