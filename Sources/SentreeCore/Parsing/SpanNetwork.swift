/// The parser's network over one batch: BiLSTM, then span scores, then (training) the loss
/// and its gradient. Holds reusable buffers, so one instance serves one thread.
final class SpanNetwork<T: ModelScalar> {
    let layout: ParserLayout
    let forwardLSTM: LSTMPass<T>
    let backwardLSTM: LSTMPass<T>
    let scorer: SpanScorer<T>

    init(layout: ParserLayout) {
        self.layout = layout
        let c = layout.config
        forwardLSTM = LSTMPass(hidden: c.hidden, inputWidth: c.inputWidth, reversed: false)
        backwardLSTM = LSTMPass(hidden: c.hidden, inputWidth: c.inputWidth, reversed: true)
        scorer = SpanScorer(hidden: c.hidden, spanHidden: c.spanHidden)
    }

    /// Runs both LSTMs and projects the fenceposts; spans can be scored afterwards.
    ///
    /// With `dropout`, the LSTM inputs and the fenceposts are dropped at that rate (training).
    func run(_ batch: SentenceBatch, _ p: UnsafePointer<T>, dropout: (rate: Double, seed: UInt64)? = nil) {
        // Each of the three masks from its own stream of the seed.
        func dropping(_ k: UInt64) -> Dropping? {
            guard let dropout, dropout.rate > 0 else { return nil }
            return Dropping(rate: dropout.rate, random: SplitMix64.stream(seed: dropout.seed, k))
        }
        forwardLSTM.forward(batch, p, layout: layout, direction: layout.forward, dropout: dropping(1))
        backwardLSTM.forward(batch, p, layout: layout, direction: layout.backward, dropout: dropping(2))
        var fenceDropping = dropping(3)
        scorer.forward(
            batch, forward: forwardLSTM, backward: backwardLSTM, p, layout: layout,
            dropout: &fenceDropping)
    }

    /// After `run`: the span loss times `scale`, with its gradient added to `grad`.
    func lossAndGradient(
        _ batch: SentenceBatch, gold: [[Bool]], scale: T, loss kind: ParserLoss = .hinge,
        _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>
    ) -> T {
        let loss = scorer.lossAndBackward(
            batch, gold: gold, scale: scale, loss: kind, forward: forwardLSTM,
            backward: backwardLSTM, p, grad, layout: layout)
        forwardLSTM.backward(batch, p, grad, layout: layout, direction: layout.forward)
        backwardLSTM.backward(batch, p, grad, layout: layout, direction: layout.backward)
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
