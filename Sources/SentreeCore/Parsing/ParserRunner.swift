import Synchronization

/// A span parser with one network per thread of a worker pool, kept from call to call: the
/// networks' buffers are allocated once, where a parser rebuilt per call paid page faults and
/// zero-filling for every batch of `predict`'s input.
public final class ParserRunner: Sendable {
    final class Slot: Sendable {
        let network: Mutex<SpanNetwork<Float>>
        init(_ network: sending SpanNetwork<Float>) { self.network = Mutex(network) }
    }

    public let parser: SpanParser
    public let pool: WorkerPool
    /// Slot k serves pool member k, so its lock is never contended.
    private let slots: [Slot]

    public init(_ parser: SpanParser, pool: WorkerPool) {
        self.parser = parser
        self.pool = pool
        slots = (0 ..< pool.size).map { _ in Slot(SpanNetwork<Float>(layout: parser.layout)) }
    }

    /// Sentences per BiLSTM batch.
    public static let batchSize = 64

    /// The order in which `parse` takes sentences, cut into batches: longest first (equal
    /// lengths in input order), so the sentences of a batch have similar lengths and its
    /// packed rows stay dense. Empty sentences are left out (their tree is empty).
    public static func batches(lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.filter { lengths[$0] > 0 }.sorted {
            lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1
        }
        return stride(from: 0, to: order.count, by: batchSize).map {
            Array(order[$0 ..< min($0 + batchSize, order.count)])
        }
    }

    /// The best binary tree of each sentence (tokens as the tokenizer gives them), the batches
    /// spread over the pool. Which thread parses a sentence, and with which others, does not
    /// change its tree: every row of the network's products sums in the same order.
    public func parse(_ sentences: [[String]]) -> [BinaryTree] {
        let batches = Self.batches(lengths: sentences.map(\.count))
        let found = Locked([[BinaryTree]](repeating: [], count: batches.count))
        pool.run(parts: batches.count) { b, member in
            let trees = self.trees(of: batches[b].map { sentences[$0] }, member: member)
            found.withLock { $0[b] = trees }
        }
        var trees = [BinaryTree](repeating: BinaryTree(words: 0) { _, _ in 0 }, count: sentences.count)
        for (batch, parsed) in zip(batches, found.withLock { $0 }) {
            for (k, tree) in zip(batch, parsed) { trees[k] = tree }
        }
        return trees
    }

    /// The trees of one batch of non-empty sentences, in their order, on pool member
    /// `member`'s network (call from that member only, or from one thread at a time).
    public func trees(of sentences: [[String]], member: Int) -> [BinaryTree] {
        let batch = SentenceBatch(sentences.map { parser.features.encode($0) })
        var trees = [BinaryTree](repeating: BinaryTree(words: 0) { _, _ in 0 }, count: sentences.count)
        slots[member].network.withLock { network in
            parser.parameters.withUnsafeBufferPointer { p in
                network.run(batch, p.baseAddress!)
                for s in 0 ..< batch.count {
                    trees[batch.order[s]] = parser.decode(s, batch, network, p.baseAddress!)
                }
            }
        }
        return trees
    }
}
