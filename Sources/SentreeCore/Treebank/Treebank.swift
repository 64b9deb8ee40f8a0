/// A set of labelled binary trees stored as flat post-order arrays.
///
/// Shape legend: `N` = total nodes over all trees, `T` = trees, `K` = leaves (tokens).
/// Tree `t` owns nodes `treeStart[t] ..< treeStart[t+1]`; inside a tree nodes are in
/// post-order, so children come before their parent and the root is the last node.
/// Child indices are *local* to the tree (0 = first node of the tree), which lets a model
/// index a per-tree activation buffer directly. Training allocates nothing per node.
public struct Treebank: Sendable {
    /// Label used for nodes that carry no gold label (e.g. sentences given to `predict`).
    public static let unlabeled: UInt8 = 255

    /// Where the trees came from (a file path, or a name for in-memory text).
    public var source: String
    /// Gold label per node, 0...4, or `Treebank.unlabeled`.                       [N]
    public var labels: [UInt8]
    /// Local index of the left child, or -1 for a leaf.                            [N]
    public var left: [Int32]
    /// Local index of the right child, or -1 for a leaf.                           [N]
    public var right: [Int32]
    /// Index into `tokens` for a leaf, -1 for an internal node.                    [N]
    public var leafToken: [Int32]
    /// Surface tokens exactly as written in the file (escapes such as `-LRB-` kept). [K]
    public var tokens: [String]
    /// First node of each tree, plus one final entry equal to `N`.                 [T+1]
    public var treeStart: [Int32]
    /// 1-based source line of each tree.                                           [T]
    public var lines: [Int32]

    public init(source: String) {
        self.source = source
        labels = []; left = []; right = []; leafToken = []; tokens = []
        treeStart = [0]; lines = []
    }

    /// Number of trees.
    public var count: Int { treeStart.count - 1 }
    /// Number of nodes over all trees.
    public var nodeCount: Int { labels.count }

    /// Node range of tree `t` in the flat arrays.
    @inlinable public func nodes(of t: Int) -> Range<Int> {
        Int(treeStart[t]) ..< Int(treeStart[t + 1])
    }
}
