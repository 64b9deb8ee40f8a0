/// A labelled treebank with its trees replaced by the trees of its words: what `eval --parse`
/// scores a model on, to see what the parser's structure costs against the gold structure.
public struct Reparsed: Sendable {
    /// The new trees. A node whose words are a node of the gold tree keeps its gold label
    /// (every word and every root does); the others are unlabeled, so scores count them out.
    public var treebank: Treebank
    /// Brackets of the new trees against the gold ones (single words and the root left out).
    public var brackets: BracketScore
    /// How the trees were made.
    public var structure: TreeStructure
}

extension ParsedSentences {
    /// Re-brackets every tree of `gold` from its words alone.
    public func reparse(_ gold: Treebank) -> Reparsed {
        let sentences = (0 ..< gold.count).map { ParserData.tokens(of: $0, in: gold) }
        let trees = trees(of: sentences)
        var bank = Treebank(source: gold.source)
        var brackets = BracketScore()
        for t in 0 ..< gold.count {
            let labels = Self.labelsBySpan(t, in: gold)
            let first = bank.nodeCount
            bank.append(trees[t], tokens: sentences[t], label: Treebank.unlabeled, line: Int(gold.lines[t]))
            for (k, span) in trees[t].spans.enumerated() {
                bank.labels[first + k] = labels[span] ?? Treebank.unlabeled
            }
            brackets.add(predicted: trees[t].scoredSpans, gold: BracketScore.spans(of: t, in: gold))
        }
        return Reparsed(treebank: bank, brackets: brackets, structure: structure)
    }

    /// The gold label of every node of tree `t`, by the words it covers.
    private static func labelsBySpan(_ t: Int, in bank: Treebank) -> [Span: UInt8] {
        let r = bank.nodes(of: t)
        var span: [Span] = []
        span.reserveCapacity(r.count)
        var next = 0
        var labels: [Span: UInt8] = [:]
        for g in r {
            if bank.left[g] < 0 {
                span.append(Span(next, next + 1))
                next += 1
            } else {
                span.append(Span(Int(span[Int(bank.left[g])].start), Int(span[Int(bank.right[g])].end)))
            }
            labels[span[span.count - 1]] = bank.labels[g]
        }
        return labels
    }
}
