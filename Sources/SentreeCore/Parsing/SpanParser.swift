import Foundation

/// A trained span parser: features, sizes and weights, ready to bracket sentences.
public struct SpanParser: Sendable {
    public let features: ParserFeatures
    public let layout: ParserLayout
    public let parameters: [Float]
    /// Facts about how it was made (dev F1, date, data), kept in its file.
    public var info: [String: String]

    public init(
        features: ParserFeatures, layout: ParserLayout, parameters: [Float], info: [String: String] = [:]
    ) {
        precondition(parameters.count == layout.count)
        // The kernels assume these sizes (SIMD-wide LSTM rows): training and the file reader
        // refuse others with an error, so only a caller building a parser by hand gets here.
        precondition(layout.config.problem == nil, "invalid parser sizes: \(layout.config.problem ?? "")")
        self.features = features
        self.layout = layout
        self.parameters = parameters
        self.info = info
    }

    /// The best binary tree of each sentence (tokens as the tokenizer gives them), using
    /// `threads` threads (the trees do not depend on it).
    ///
    /// Up to `ChartDecoder.exactLimit` words a sentence is decoded exactly (CKY), longer ones
    /// greedily; an empty sentence gives an empty tree.
    public func parse(_ sentences: [[String]], threads: Int = 1) -> [BinaryTree] {
        ParserRunner(self, pool: WorkerPool(size: threads)).parse(sentences)
    }

    func decode(
        _ s: Int, _ batch: SentenceBatch, _ network: SpanNetwork<Float>,
        _ p: UnsafePointer<Float>
    ) -> BinaryTree {
        let n = batch.sentences[s].count
        if n <= ChartDecoder.exactLimit {
            return ChartDecoder.cky(words: n, scores: network.scorer.chart(s, in: batch, p, layout: layout))
                .tree
        }
        return ChartDecoder.greedy(words: n) { i, j in
            network.scorer.score(s, i, j, in: batch, p, layout: layout)
        }
    }

    /// Bracket F1 of the parser's trees for the sentences of `treebank` against its trees.
    public func evaluate(_ treebank: Treebank, threads: Int = 1) -> BracketScore {
        let sentences = (0 ..< treebank.count).map { ParserData.tokens(of: $0, in: treebank) }
        let trees = parse(sentences, threads: threads)
        var score = BracketScore()
        for t in 0 ..< treebank.count {
            score.add(predicted: trees[t].scoredSpans, gold: BracketScore.spans(of: t, in: treebank))
        }
        return score
    }
}
