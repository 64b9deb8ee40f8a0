/// A constituent: the words `start ..< end` of a sentence.
public struct Span: Hashable, Sendable {
    public var start: Int32
    public var end: Int32
    public init(_ start: Int, _ end: Int) { self.start = Int32(start); self.end = Int32(end) }
    public var length: Int { Int(end - start) }
}

/// Unlabeled bracket precision, recall and F1, micro-averaged over a file: evalb without
/// labels.
///
/// Single words and the whole sentence are left out, since every binary tree over the
/// sentence has them; what is left is what a parser can get wrong.
public struct BracketScore: Sendable, Equatable {
    public var matched = 0
    public var predicted = 0
    public var gold = 0

    public init() {}

    /// Adds one sentence's brackets (duplicates, which a binary tree cannot have, count once).
    public mutating func add(predicted p: [Span], gold g: [Span]) {
        let goldSet = Set(g)
        matched += Set(p).filter(goldSet.contains).count
        predicted += Set(p).count
        gold += goldSet.count
    }

    /// In percent (0–100); an empty side counts as perfect, since nothing could be wrong.
    public var precision: Double { predicted == 0 ? 100 : 100 * Double(matched) / Double(predicted) }
    public var recall: Double { gold == 0 ? 100 : 100 * Double(matched) / Double(gold) }
    public var f1: Double {
        let (p, r) = (precision, recall)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The scored brackets of tree `t`: spans of its inner nodes except the root, in post-order.
    public static func spans(of t: Int, in bank: Treebank) -> [Span] {
        let r = bank.nodes(of: t)
        var start = [Int32](repeating: 0, count: r.count), end = start
        var firstToken: Int32 = -1
        var out: [Span] = []
        for (local, g) in r.enumerated() {
            if bank.left[g] < 0 {
                if firstToken < 0 { firstToken = bank.leafToken[g] }
                start[local] = bank.leafToken[g] - firstToken
                end[local] = start[local] + 1
            } else {
                start[local] = start[Int(bank.left[g])]
                end[local] = end[Int(bank.right[g])]
                if local != r.count - 1 { out.append(Span(Int(start[local]), Int(end[local]))) }
            }
        }
        return out
    }

    /// The brackets of the baseline `predict` used before the parser: final `.`, `!`, `?`,
    /// `...` attached at the top, the other words right-branching.
    public static func rightBranchingSpans(_ tokens: [String]) -> [Span] {
        BinaryTree.rightBranching(tokens).scoredSpans
    }
}
