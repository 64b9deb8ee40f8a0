import Foundation

/// Fine-grained accuracy by length, as CoreNLP's sentiment `Evaluate -printLengthAccuracies`
/// counts it: every labelled node is scored under the number of words it spans. Roots are
/// also counted by the length of their sentence.
public struct LengthAccuracy: Equatable, Sendable {
    /// Correct and total labelled nodes, indexed by span length (index 0 unused).
    public private(set) var nodesCorrect: [Int] = []
    public private(set) var nodesTotal: [Int] = []
    /// Correct and total roots, indexed by sentence length.
    public private(set) var rootsCorrect: [Int] = []
    public private(set) var rootsTotal: [Int] = []

    public init() {}

    /// One range of lengths with its counts.
    public struct Bucket: Equatable, Sendable {
        /// Shortest and longest length in the bucket (e.g. 11...20).
        public var lengths: ClosedRange<Int>
        public var nodesCorrect = 0, nodesTotal = 0
        public var rootsCorrect = 0, rootsTotal = 0
        public var nodeAccuracy: Double? { nodesTotal == 0 ? nil : Double(nodesCorrect) / Double(nodesTotal) }
        public var rootAccuracy: Double? { rootsTotal == 0 ? nil : Double(rootsCorrect) / Double(rootsTotal) }
    }

    /// Scores tree `t` of `treebank` given the predicted class of each of its nodes (in the
    /// tree's post-order, as `TreePrediction.predicted`). Unlabelled nodes are skipped.
    public mutating func count(tree t: Int, of treebank: Treebank, predicted: [UInt8]) {
        let r = treebank.nodes(of: t)
        precondition(predicted.count == r.count, "one prediction per node")
        // Post-order puts children first, so one pass gives every node's word count.
        var span = [Int](repeating: 1, count: r.count)
        for i in r where treebank.left[i] >= 0 {
            span[i - r.lowerBound] = span[Int(treebank.left[i])] + span[Int(treebank.right[i])]
        }
        for i in r where treebank.labels[i] != Treebank.unlabeled {
            let local = i - r.lowerBound
            let correct = treebank.labels[i] == predicted[local]
            Self.add(&nodesCorrect, &nodesTotal, at: span[local], correct: correct)
            if i == r.upperBound - 1 {
                Self.add(&rootsCorrect, &rootsTotal, at: span[local], correct: correct)
            }
        }
    }

    private static func add(
        _ correct: inout [Int], _ total: inout [Int], at length: Int, correct isCorrect: Bool
    ) {
        if total.count <= length {
            total += Array(repeating: 0, count: length + 1 - total.count)
            correct += Array(repeating: 0, count: length + 1 - correct.count)
        }
        total[length] += 1
        if isCorrect { correct[length] += 1 }
    }

    /// Adds another set of counts (another shard's).
    public mutating func merge(_ other: LengthAccuracy) {
        Self.add(&nodesCorrect, &nodesTotal, other.nodesCorrect, other.nodesTotal)
        Self.add(&rootsCorrect, &rootsTotal, other.rootsCorrect, other.rootsTotal)
    }

    private static func add(
        _ correct: inout [Int], _ total: inout [Int], _ moreCorrect: [Int], _ moreTotal: [Int]
    ) {
        if total.count < moreTotal.count {
            correct += Array(repeating: 0, count: moreTotal.count - total.count)
            total += Array(repeating: 0, count: moreTotal.count - total.count)
        }
        for length in moreTotal.indices {
            correct[length] += moreCorrect[length]
            total[length] += moreTotal[length]
        }
    }

    /// The counts in buckets of `size` lengths (1-10, 11-20, … for 10), up to the longest
    /// length seen; buckets with no nodes are left out.
    public func buckets(size: Int = 10) -> [Bucket] {
        precondition(size >= 1)
        let longest = max(nodesTotal.count, rootsTotal.count) - 1
        guard longest >= 1 else { return [] }
        var out: [Bucket] = []
        for low in stride(from: 1, through: longest, by: size) {
            var b = Bucket(lengths: low ... low + size - 1)
            for length in b.lengths {
                if length < nodesTotal.count {
                    b.nodesCorrect += nodesCorrect[length]
                    b.nodesTotal += nodesTotal[length]
                }
                if length < rootsTotal.count {
                    b.rootsCorrect += rootsCorrect[length]
                    b.rootsTotal += rootsTotal[length]
                }
            }
            if b.nodesTotal > 0 { out.append(b) }
        }
        return out
    }

    /// Lines like CoreNLP's printout: its header, then one line per bucket, the length range
    /// padded to the left and the node accuracy with three decimals (`  1-10: 0.812`).
    public func report(size: Int = 10) -> [String] {
        ["Label accuracy at various lengths:"]
            + buckets(size: size).map { b in
                let name =
                    size == 1 ? "\(b.lengths.lowerBound)" : "\(b.lengths.lowerBound)-\(b.lengths.upperBound)"
                let accuracy = b.nodeAccuracy.map { String(format: "%.3f", $0) } ?? "-"
                return String(repeating: " ", count: max(0, 6 - name.count)) + name + ": " + accuracy
            }
    }
}
