import Foundation

/// Plain sentences tokenized as SST is and bracketed by a span parser, or, without one, by
/// the fixed rule (final punctuation on top, the rest right-branching).
///
/// The one way `predict`, `eval --parse` and the dashboard's probes turn text into trees.
public struct ParsedSentences: SentenceTrees {
    /// nil: the fixed rule.
    public let parser: SpanParser?
    /// The threads that parse; `runner` (nil without a parser) keeps a network for each.
    public let pool: WorkerPool
    public let runner: ParserRunner?
    /// Threads that parse a batch at once.
    public var threads: Int { pool.size }

    public init(parser: SpanParser?, threads: Int = 1) {
        self.init(parser: parser, pool: WorkerPool(size: threads))
    }

    /// Parses on `pool`'s threads (a caller that runs its own work on them shares them).
    public init(parser: SpanParser?, pool: WorkerPool) {
        self.parser = parser
        self.pool = pool
        runner = parser.map { ParserRunner($0, pool: pool) }
    }

    public var structure: TreeStructure { parser.map { .parsed(devF1: $0.devF1) } ?? .approximate }

    /// The tokens of one line of text, or the input rule it breaks (see `SentenceInput`).
    public func tokens(of text: String, line: Int, source: String) throws(TreebankError) -> [String] {
        try SentenceInput.tokens(of: text, line: line, source: source)
    }

    /// The tree of each token list (empty lists give empty trees).
    public func trees(of sentences: [[String]]) -> [BinaryTree] {
        guard let runner else { return sentences.map { BinaryTree.rightBranching($0) } }
        return runner.parse(sentences)
    }

    /// The trees of one batch of non-empty token lists (see `ParserRunner.batches`), made on
    /// thread `member` of `pool` (see `WorkerPool.run`).
    public func trees(ofBatch sentences: [[String]], member: Int) -> [BinaryTree] {
        guard let runner else { return sentences.map { BinaryTree.rightBranching($0) } }
        return runner.trees(of: sentences, member: member)
    }

    public func treebank(of sentences: [String], source: String) throws -> Treebank {
        var tokens: [[String]] = [], lines: [Int] = []
        for (k, text) in sentences.enumerated() {
            let words = try self.tokens(of: text, line: k + 1, source: source)
            if !words.isEmpty {
                tokens.append(words)
                lines.append(k + 1)
            }
        }
        var bank = Treebank(source: source)
        for (k, tree) in trees(of: tokens).enumerated() {
            bank.append(tree, tokens: tokens[k], label: Treebank.unlabeled, line: lines[k])
        }
        return bank
    }
}

extension SpanParser {
    /// The dev bracket F1 its training recorded, in percent.
    public var devF1: Double? { info["dev_f1"].flatMap(Double.init) }
}

extension BinaryTree {
    /// The fixed rule's tree over `words`: trailing `.`, `!`, `?`, `...` attached one by one at
    /// the top, the words before them a right-branching chain, as `Treebank.fromSentences`.
    public static func rightBranching(_ words: [String]) -> BinaryTree {
        BinaryTree(words: words.count) { i, j in
            i == 0 && Treebank.isSentenceFinal(words[j - 1]) ? j - 1 : i + 1
        }
    }
}
