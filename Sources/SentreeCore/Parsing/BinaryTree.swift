/// An unlabeled binary tree over the words 0 ..< n of a sentence, in post-order like
/// `Treebank` (children before parents, the root last).
public struct BinaryTree: Sendable, Equatable {
    /// Child indices into these arrays, -1 for a leaf.
    public var left: [Int32] = []
    public var right: [Int32] = []
    /// The word a leaf stands for, -1 for an inner node.
    public var word: [Int32] = []
    /// The words each node covers.
    public var spans: [Span] = []

    public var wordCount: Int { (spans.last?.length) ?? 0 }

    /// The tree whose node over span (i, j), j − i ≥ 2, splits at `split(i, j)`.
    ///
    /// Built with an explicit stack: a greedy parse of a long input can be thousands deep.
    public init(words n: Int, split: (Int, Int) -> Int) {
        guard n > 0 else { return }
        var todo: [(start: Int, end: Int, expanded: Bool)] = [(0, n, false)]
        var done: [Int32] = []
        while let (i, j, expanded) = todo.popLast() {
            if j - i == 1 {
                done.append(append(left: -1, right: -1, word: Int32(i), span: Span(i, j)))
            } else if expanded {
                let r = done.removeLast(), l = done.removeLast()
                done.append(append(left: l, right: r, word: -1, span: Span(i, j)))
            } else {
                let k = split(i, j)
                precondition(k > i && k < j, "split \(k) outside span \(i)..<\(j)")
                todo.append((i, j, true))
                todo.append((k, j, false))
                todo.append((i, k, false))
            }
        }
    }

    private mutating func append(left l: Int32, right r: Int32, word w: Int32, span: Span) -> Int32 {
        left.append(l); right.append(r); word.append(w); spans.append(span)
        return Int32(left.count - 1)
    }

    /// The brackets `BracketScore` counts: inner nodes but the root.
    public var scoredSpans: [Span] {
        spans.dropLast().filter { $0.length >= 2 }
    }
}

extension Treebank {
    /// Appends `tree` over `tokens` with every node labelled `label`, as line `line`.
    public mutating func append(_ tree: BinaryTree, tokens words: [String], label: UInt8, line: Int) {
        precondition(tree.wordCount == words.count)
        let firstToken = Int32(tokens.count)
        tokens += words
        for k in tree.left.indices {
            labels.append(label)
            left.append(tree.left[k])
            right.append(tree.right[k])
            leafToken.append(tree.word[k] < 0 ? -1 : firstToken + tree.word[k])
        }
        treeStart.append(Int32(labels.count))
        lines.append(Int32(line))
    }

    /// Tree `t` in PTB notation, `(2 (2 It) (2 works))`, written without recursion.
    public func ptbText(of t: Int) -> String {
        let r = nodes(of: t)
        var out = ""
        var todo: [(node: Int, close: Bool)] = [(r.count - 1, false)]
        while let (i, close) = todo.popLast() {
            if close { out += ")"; continue }
            let g = r.lowerBound + i
            if !out.isEmpty && !out.hasSuffix("(") { out += " " }
            let label = labels[g] == Treebank.unlabeled ? "" : "\(labels[g])"
            if left[g] < 0 {
                out += "(\(label)\(label.isEmpty ? "" : " ")\(tokens[Int(leafToken[g])]))"
            } else {
                out += "(\(label)"
                todo.append((i, true))
                todo.append((Int(right[g]), false))
                todo.append((Int(left[g]), false))
            }
        }
        return out
    }
}
