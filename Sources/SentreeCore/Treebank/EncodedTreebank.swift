/// A treebank together with the vocabulary ids of its leaves: what the models consume.
public struct EncodedTreebank: Sendable {
    public let treebank: Treebank
    /// Per node word id (leaves) or -1 (internal nodes).                        [N]
    public let words: [Int32]
    /// Per node height: 0 for leaves, 1 + the taller child's otherwise (for `LevelSchedule`). [N]
    public let heights: [Int32]
    /// Node count of the largest tree, for sizing workspaces.
    public var maxTreeSize: Int {
        (0 ..< treebank.count).map { treebank.nodes(of: $0).count }.max() ?? 0
    }

    public init(_ treebank: Treebank, words: [Int32]) {
        precondition(words.count == treebank.nodeCount)
        self.treebank = treebank
        self.words = words
        var heights = [Int32](repeating: 0, count: treebank.nodeCount)
        for t in 0 ..< treebank.count {
            let r = treebank.nodes(of: t)
            for g in r where treebank.left[g] >= 0 {
                let l = r.lowerBound + Int(treebank.left[g]), rr = r.lowerBound + Int(treebank.right[g])
                heights[g] = 1 + max(heights[l], heights[rr])
            }
        }
        self.heights = heights
    }

    public var count: Int { treebank.count }

    /// Calls `body` with raw views of the node arrays.
    public func withArrays<R>(_ body: (TreeArrays) throws -> R) rethrows -> R {
        try treebank.labels.withUnsafeBufferPointer { labels in
            try treebank.left.withUnsafeBufferPointer { left in
                try treebank.right.withUnsafeBufferPointer { right in
                    try words.withUnsafeBufferPointer { words in
                        try body(
                            TreeArrays(
                                labels: labels.baseAddress!, left: left.baseAddress!,
                                right: right.baseAddress!, words: words.baseAddress!))
                    }
                }
            }
        }
    }
}

/// Raw views of an encoded treebank, valid while the arrays they point into are alive.
public struct TreeArrays {
    public let labels: UnsafePointer<UInt8>
    public let left: UnsafePointer<Int32>
    public let right: UnsafePointer<Int32>
    /// Per node vocabulary id (leaves) or -1.
    public let words: UnsafePointer<Int32>
}
