/// The four SST accuracy figures plus confusion matrices, from integer counts.
///
/// Names are fixed across the CLI, JSON, logs and dashboard:
/// *fine all* (5-class, all nodes), *fine root* (5-class, roots),
/// *binary root* (roots with gold ≠ 2; positive iff P(3)+P(4) > P(0)+P(1)),
/// *binary all* (all nodes with gold ≠ 2).
///
/// For the binary task's 3-class models (`SentimentTask.binary`) the "fine" counts are the
/// argmax over negative / neutral / positive, and the binary ones skip gold neutral (1) and
/// call a node positive iff P(positive) > P(negative).
public struct Metrics: Sendable, Equatable, Codable {
    /// confusionRoot[gold][predicted] over roots.
    public var confusionRoot: [[Int]]
    /// confusionAll[gold][predicted] over all nodes.
    public var confusionAll: [[Int]]
    public var binaryRootCorrect = 0, binaryRootTotal = 0
    public var binaryAllCorrect = 0, binaryAllTotal = 0
    /// Sum of cross-entropy over all labelled nodes (no L2 term).
    public var lossSum = 0.0
    public var trees = 0
    /// Accuracy by phrase and sentence length (the dashboard's length view; not serialized).
    public var byLength = LengthAccuracy()

    enum CodingKeys: String, CodingKey {
        case confusionRoot, confusionAll, binaryRootCorrect, binaryRootTotal, binaryAllCorrect, binaryAllTotal
        case lossSum, trees
    }

    public init(classes: Int = 5) {
        confusionRoot = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        confusionAll = confusionRoot
    }

    public var nodes: Int { confusionAll.joined().reduce(0, +) }
    public var roots: Int { confusionRoot.joined().reduce(0, +) }

    static func diagonal(_ m: [[Int]]) -> Int { m.indices.reduce(0) { $0 + m[$1][$1] } }
    static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    /// 5-class accuracy over all nodes, in 0...1.
    public var fineAll: Double { Self.ratio(Self.diagonal(confusionAll), nodes) }
    /// 5-class accuracy over roots, in 0...1.
    public var fineRoot: Double { Self.ratio(Self.diagonal(confusionRoot), roots) }
    /// Binary accuracy over roots with gold ≠ 2, in 0...1.
    public var binaryRoot: Double { Self.ratio(binaryRootCorrect, binaryRootTotal) }
    /// Binary accuracy over all nodes with gold ≠ 2, in 0...1.
    public var binaryAll: Double { Self.ratio(binaryAllCorrect, binaryAllTotal) }
    /// Mean cross-entropy per labelled node.
    public var meanLoss: Double { nodes == 0 ? 0 : lossSum / Double(nodes) }

    /// Adds another set of counts (e.g. from another thread's shard).
    public mutating func merge(_ other: Metrics) {
        for g in confusionAll.indices {
            for p in confusionAll.indices {
                confusionAll[g][p] += other.confusionAll[g][p]
                confusionRoot[g][p] += other.confusionRoot[g][p]
            }
        }
        binaryRootCorrect += other.binaryRootCorrect; binaryRootTotal += other.binaryRootTotal
        binaryAllCorrect += other.binaryAllCorrect; binaryAllTotal += other.binaryAllTotal
        lossSum += other.lossSum
        trees += other.trees
        byLength.merge(other.byLength)
    }
}
