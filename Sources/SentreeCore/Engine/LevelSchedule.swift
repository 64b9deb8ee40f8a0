/// The order in which the engine runs a set of trees: all nodes of one height at once.
///
/// Rows are numbered level by level: `levelStart[0] ..< levelStart[1]` are the leaves of
/// every tree, then all nodes of height 1 (both children leaves), and so on. A parent's row
/// always comes after its children's, so a level's inputs are ready when it runs, and
/// backward can walk the levels in reverse. Within a level, rows follow the trees' order
/// and each tree's post-order, so a schedule is a pure function of the trees given.
///
/// Shapes (R = rows = nodes of all trees, H = levels):
///   levelStart [H + 1]   node [R] global node index   leftRow, rightRow [R] (-1 for leaves)
///   rowOfNode [R] row of each node, in the order the trees were given (tree by tree)
/// Buffers keep their capacity between builds, so rebuilding per minibatch allocates nothing
/// once the largest minibatch has been seen.
struct LevelSchedule {
    private(set) var levelStart: [Int] = []
    private(set) var node: [Int32] = []
    private(set) var leftRow: [Int32] = []
    private(set) var rightRow: [Int32] = []
    private(set) var rowOfNode: [Int32] = []
    /// Where each given tree's nodes begin in `rowOfNode`.          [trees + 1]
    private(set) var treeOffset: [Int] = []
    private var cursor: [Int] = []

    var rows: Int { node.count }
    var levels: Int { levelStart.count - 1 }
    var leafCount: Int { levels > 0 ? levelStart[1] : 0 }
    func level(_ h: Int) -> Range<Int> { levelStart[h] ..< levelStart[h + 1] }

    /// Schedules the trees `trees` (indices into `data`).
    mutating func build<S: Collection<Int>>(trees: S, data: EncodedTreebank) {
        let tb = data.treebank
        treeOffset.removeAll(keepingCapacity: true)
        cursor.removeAll(keepingCapacity: true)
        treeOffset.append(0)
        // The leaf level always exists, if empty: a worker whose shard has no trees (minibatch
        // smaller than the thread count) then runs zero rows instead of indexing past the end.
        cursor.append(0)
        var total = 0
        for t in trees {
            let r = tb.nodes(of: t)
            // The root is the tallest node of its tree.
            let top = Int(data.heights[r.upperBound - 1])
            if cursor.count <= top {
                cursor.append(contentsOf: repeatElement(0, count: top + 1 - cursor.count))
            }
            total += r.count
            treeOffset.append(total)
        }
        data.heights.withUnsafeBufferPointer { heights in
            cursor.withUnsafeMutableBufferPointer { count in
                for t in trees { for g in tb.nodes(of: t) { count[Int(heights[g])] += 1 } }
            }
        }
        // Counts to level starts; `cursor` then walks each level.
        levelStart.removeAll(keepingCapacity: true)
        var start = 0
        for h in 0 ..< cursor.count {
            levelStart.append(start)
            let count = cursor[h]
            cursor[h] = start
            start += count
        }
        levelStart.append(start)
        Self.resize(&node, total); Self.resize(&leftRow, total); Self.resize(&rightRow, total)
        Self.resize(&rowOfNode, total)
        tb.left.withUnsafeBufferPointer { left in
            tb.right.withUnsafeBufferPointer { right in
                data.heights.withUnsafeBufferPointer { heights in
                    cursor.withUnsafeMutableBufferPointer { cursor in
                        node.withUnsafeMutableBufferPointer { node in
                            leftRow.withUnsafeMutableBufferPointer { leftRow in
                                rightRow.withUnsafeMutableBufferPointer { rightRow in
                                    rowOfNode.withUnsafeMutableBufferPointer { rowOfNode in
                                        var base = 0
                                        for t in trees {
                                            let r = tb.nodes(of: t)
                                            for g in r {
                                                let h = Int(heights[g])
                                                let row = cursor[h]
                                                cursor[h] = row + 1
                                                rowOfNode[base + g - r.lowerBound] = Int32(row)
                                                node[row] = Int32(g)
                                                let l = Int(left[g])
                                                // Children precede parents in post-order: their rows are known.
                                                leftRow[row] = l < 0 ? -1 : rowOfNode[base + l]
                                                rightRow[row] = l < 0 ? -1 : rowOfNode[base + Int(right[g])]
                                            }
                                            base += r.count
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func resize(_ a: inout [Int32], _ n: Int) {
        if a.count > n {
            a.removeLast(a.count - n)
        } else if a.count < n {
            a.append(contentsOf: repeatElement(0, count: n - a.count))
        }
    }
}

extension LevelSchedule {
    /// Places the children of each row of `rows` side by side, for one product per level:
    /// g[k] = [v[left] | v[right]] for the k-th row, each ⊙ its row of `mask` when given
    /// (state dropout).                          v, mask: [R × p], g: [rows.count × 2p]
    func gatherChildren<T: ModelScalar>(
        of rows: Range<Int>, from v: UnsafePointer<T>, width p: Int,
        into g: UnsafeMutablePointer<T>, mask: UnsafePointer<T>? = nil
    ) {
        for (k, row) in rows.enumerated() {
            copyVector(n: p, v + Int(leftRow[row]) * p, g + k * 2 * p)
            copyVector(n: p, v + Int(rightRow[row]) * p, g + k * 2 * p + p)
            if let mask {
                multiplyExact(n: p, mask + Int(leftRow[row]) * p, g + k * 2 * p)
                multiplyExact(n: p, mask + Int(rightRow[row]) * p, g + k * 2 * p + p)
            }
        }
    }

    /// Adds the errors each row of `rows` sends its children: e[left] += δ[k, :p] and
    /// e[right] += δ[k, p:] for the k-th row; with a state-dropout `mask`, the children read
    /// v ⊙ m, so each half is ⊙ its child's mask first.  δ: [rows.count × 2p], e, mask: [R × p]
    func sendToChildren<T: ModelScalar>(
        of rows: Range<Int>, from delta: UnsafeMutablePointer<T>, width p: Int,
        into e: UnsafeMutablePointer<T>, mask: UnsafePointer<T>? = nil
    ) {
        for (k, row) in rows.enumerated() {
            if let mask {
                multiplyExact(n: p, mask + Int(leftRow[row]) * p, delta + k * 2 * p)
                multiplyExact(n: p, mask + Int(rightRow[row]) * p, delta + k * 2 * p + p)
            }
            axpy(n: p, alpha: 1, x: delta + k * 2 * p, y: e + Int(leftRow[row]) * p)
            axpy(n: p, alpha: 1, x: delta + k * 2 * p + p, y: e + Int(rightRow[row]) * p)
        }
    }
}

extension LevelSchedule {
    /// The backward of a level's product of its gathered children, Y = G·Wᵀ + b, given the
    /// error δ at Y: ∂b += Σ_k δ[k], ∂Wᵀ += Gᵀ·δ, and the children's e += their half of δ·W.
    ///
    ///     δ: [n × m] (columns ≥ `used` are 0)   G: [n × 2p]   Wp: [used × 2p] (W row-major)
    ///     gWT: [2p × m]   gb: [m]   scratch: [n × 2p]   e: [R × p]
    func backwardChildrenProduct<T: ModelScalar>(
        of rows: Range<Int>, delta: UnsafePointer<T>, width m: Int, used: Int, children g: UnsafePointer<T>,
        weights Wp: UnsafePointer<T>, gradient gWT: UnsafeMutablePointer<T>, bias gb: UnsafeMutablePointer<T>,
        scratch: UnsafeMutablePointer<T>, childWidth p: Int, into e: UnsafeMutablePointer<T>,
        mask: UnsafePointer<T>? = nil
    ) {
        let n = rows.count
        addColumnSums(m: n, n: m, x: delta, ldx: m, y: gb)
        zero(n: n * 2 * p, scratch)
        gemm(m: 2 * p, n: m, k: n, a: g, rowStride: 1, columnStride: 2 * p, b: delta, ldb: m, c: gWT, ldc: m)
        gemm(
            m: n, n: 2 * p, k: used, a: delta, rowStride: m, columnStride: 1, b: Wp, ldb: 2 * p,
            c: scratch, ldc: 2 * p)
        sendToChildren(of: rows, from: scratch, width: p, into: e, mask: mask)
    }
}
