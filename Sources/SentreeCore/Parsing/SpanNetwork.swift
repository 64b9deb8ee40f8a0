/// The parser's network over one batch: BiLSTM, then span scores, then (training) the loss
/// and its gradient. Holds reusable buffers, so one instance serves one thread.
final class SpanNetwork<T: ModelScalar> {
    let layout: ParserLayout
    /// Each BiLSTM layer's two directions, bottom first; the scorer reads the top one.
    let lstms: [(forward: LSTMPass<T>, backward: LSTMPass<T>)]
    let scorer: SpanScorer<T>
    /// The character encoder under the first layer, if the parser has one.
    let characters: CharacterEncoder<T>?

    init(layout: ParserLayout) {
        self.layout = layout
        let c = layout.config
        lstms = (0 ..< c.layers).map { k in
            let input = k == 0 ? c.inputWidth : 2 * c.hidden
            return (
                LSTMPass(hidden: c.hidden, inputWidth: input, reversed: false),
                LSTMPass(hidden: c.hidden, inputWidth: input, reversed: true)
            )
        }
        scorer = SpanScorer(hidden: c.hidden, spanHidden: c.spanHidden)
        characters = c.hasCharacters ? CharacterEncoder(config: c) : nil
    }

    /// Runs both LSTMs and projects the fenceposts; spans can be scored afterwards.
    ///
    /// With `dropout`, each layer's LSTM inputs and the fenceposts are dropped at that rate
    /// (training).
    func run(_ batch: SentenceBatch, _ p: UnsafePointer<T>, dropout: (rate: Double, seed: UInt64)? = nil) {
        // Each mask from its own stream of the seed (the first layer's and the fenceposts'
        // streams are those of the one-layer network).
        func dropping(_ k: UInt64) -> Dropping? {
            guard let dropout, dropout.rate > 0 else { return nil }
            return Dropping(rate: dropout.rate, random: SplitMix64.stream(seed: dropout.seed, k))
        }
        characters?.forward(batch, p, layout: layout)
        for (k, pair) in lstms.enumerated() {
            let d = layout.layers[k], lower = k == 0 ? nil : lstms[k - 1]
            let streams: (UInt64, UInt64) = k == 0 ? (1, 2) : (UInt64(2 * k + 2), UInt64(2 * k + 3))
            let characters = k == 0 ? self.characters : nil
            pair.forward.forward(
                batch, p, layout: layout, direction: d.forward, dropout: dropping(streams.0), lower: lower,
                characters: characters)
            pair.backward.forward(
                batch, p, layout: layout, direction: d.backward, dropout: dropping(streams.1), lower: lower,
                characters: characters)
        }
        var fenceDropping = dropping(3)
        scorer.forward(
            batch, forward: lstms.last!.forward, backward: lstms.last!.backward, p, layout: layout,
            dropout: &fenceDropping)
    }

    /// After `run`: the span loss times `scale`, with its gradient added to `grad`.
    func lossAndGradient(
        _ batch: SentenceBatch, gold: [[Bool]], scale: T, loss kind: ParserLoss = .hinge,
        _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>
    ) -> T {
        let loss = scorer.lossAndBackward(
            batch, gold: gold, scale: scale, loss: kind, forward: lstms.last!.forward,
            backward: lstms.last!.backward, p, grad, layout: layout)
        if let characters {
            resize(&characters.dOutput, batch.rows * layout.config.charChannels, zeroed: true)
        }
        for k in lstms.indices.reversed() {
            let pair = lstms[k], d = layout.layers[k], lower = k == 0 ? nil : lstms[k - 1]
            if let lower {
                resize(&lower.forward.dHidden, batch.rows * layout.config.hidden, zeroed: true)
                resize(&lower.backward.dHidden, batch.rows * layout.config.hidden, zeroed: true)
            }
            let characters = k == 0 ? self.characters : nil
            pair.forward.backward(
                batch, p, grad, layout: layout, direction: d.forward, lower: lower, characters: characters)
            pair.backward.backward(
                batch, p, grad, layout: layout, direction: d.backward, lower: lower, characters: characters)
        }
        characters?.backward(batch, p, grad, layout: layout)
        return loss
    }

    /// `gold` in the form `lossAndGradient` takes, for the batch's (sorted) sentences.
    static func goldCharts(_ batch: SentenceBatch, spans: [[Span]]) -> [[Bool]] {
        (0 ..< batch.count).map { s in
            let n = batch.sentences[s].count
            var chart = [Bool](repeating: false, count: (n + 1) * (n + 1))
            for span in spans[batch.order[s]] { chart[Int(span.start) * (n + 1) + Int(span.end)] = true }
            return chart
        }
    }
}
