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
    func run(_ batch: SentenceBatch, _ p: UnsafePointer<T>) {
        forwardLSTM.forward(batch, p, layout: layout, direction: layout.forward)
        backwardLSTM.forward(batch, p, layout: layout, direction: layout.backward)
        scorer.forward(batch, forward: forwardLSTM, backward: backwardLSTM, p, layout: layout)
    }

    /// After `run`: the span loss times `scale`, with its gradient added to `grad`.
    func lossAndGradient(_ batch: SentenceBatch, gold: [[Bool]], scale: T, _ p: UnsafePointer<T>,
                         _ grad: UnsafeMutablePointer<T>) -> T {
        let loss = scorer.lossAndBackward(batch, gold: gold, scale: scale, forward: forwardLSTM,
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
