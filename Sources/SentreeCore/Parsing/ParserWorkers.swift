import Synchronization

/// Span networks for several threads: one per part of a job, each behind its own lock so a
/// pool thread can use it (each part locks only its own network, uncontended).
///
/// A training batch is always cut into the same `parts` halves whatever the thread count,
/// and their gradients are added in part order, so one thread and two give the same weights
/// bit for bit: the thread count changes the time, never the parser.
final class ParserWorkers: Sendable {
    final class Slot: Sendable {
        let network: Mutex<SpanNetwork<Float>>
        /// The part's gradient and loss after `gradient`.
        let result: Mutex<(gradient: [Float], loss: Float)>
        init(_ network: sending SpanNetwork<Float>, count: Int) {
            self.network = Mutex(network)
            result = Mutex(([Float](repeating: 0, count: count), 0))
        }
    }

    /// Parts a training batch is cut into.
    static let parts = 2

    let layout: ParserLayout
    let slots: [Slot]
    let pool: WorkerPool

    init(layout: ParserLayout, threads: Int) {
        self.layout = layout
        slots = (0 ..< Self.parts).map { _ in Slot(SpanNetwork<Float>(layout: layout), count: layout.count) }
        pool = WorkerPool(size: max(1, min(threads, Self.parts)))
    }

    /// The loss of `parts` (each: inputs and gold spans), each scaled by `scale`, with the
    /// summed gradient written into `gradient`. Part k drops out with its own stream of `seed`.
    func lossAndGradient(
        _ parts: [(inputs: [ParserFeatures.Encoded], spans: [[Span]])], parameters: [Float],
        gradient: inout [Float], scale: Float, dropout: Double, seed: UInt64, loss kind: ParserLoss
    ) -> Float {
        precondition(parts.count <= slots.count)
        let slots = self.slots
        pool.run(parts: parts.count) { k in
            let batch = SentenceBatch(parts[k].inputs)
            let gold = SpanNetwork<Float>.goldCharts(batch, spans: parts[k].spans)
            slots[k].network.withLock { network in
                slots[k].result.withLock { result in
                    result.gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                    result.loss = parameters.withUnsafeBufferPointer { p in
                        result.gradient.withUnsafeMutableBufferPointer { g in
                            network.run(batch, p.baseAddress!, dropout: (dropout, seed &+ UInt64(k) << 56))
                            return network.lossAndGradient(
                                batch, gold: gold, scale: scale, loss: kind, p.baseAddress!, g.baseAddress!)
                        }
                    }
                }
            }
        }
        var total: Float = 0
        for k in parts.indices {
            slots[k].result.withLock { result in
                total += result.loss
                if k == 0 {
                    result.gradient.withUnsafeBufferPointer { src in
                        gradient.withUnsafeMutableBufferPointer { dst in
                            dst.baseAddress!.update(from: src.baseAddress!, count: src.count)
                        }
                    }
                } else {
                    result.gradient.withUnsafeBufferPointer { src in
                        gradient.withUnsafeMutableBufferPointer { dst in
                            addExact(n: src.count, src.baseAddress!, dst.baseAddress!)
                        }
                    }
                }
            }
        }
        return total
    }
}
