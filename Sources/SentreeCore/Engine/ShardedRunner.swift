import Dispatch
import Synchronization

/// One worker's engine behind its own lock, so it can be handed to a concurrent worker.
/// Each worker locks only its own slot (uncontended), and the reduce step runs alone.
final class EngineSlot<M: LevelModel>: Sendable {
    let engine: Mutex<LevelEngine<M>>
    init(_ e: sending LevelEngine<M>) { engine = Mutex(e) }
}

/// Runs a model on several worker threads: minibatches and evaluations are cut into one
/// contiguous shard per worker, each run level by level by that worker's `LevelEngine`,
/// and results are combined in worker order, so a given thread count is deterministic and
/// `threads: 1` is bit-for-bit reproducible.
final class ShardedRunner<M: LevelModel>: Sendable {
    typealias T = M.T
    let layout: ParameterLayout
    let slots: [EngineSlot<M>]
    /// Replaced after every parameter update; workers read a copy taken under the lock.
    let weights: Mutex<EngineWeights<M>>
    /// Scratch map from L row to its slot while merging worker gradients (all -1 between uses).
    let rowSlot: Mutex<[Int32]>
    /// Worker `w` runs shard `w` on slot `w`.
    let pool: WorkerPool

    init(layout: ParameterLayout, parameters: [T], threads: Int, capacity: Int, gradients: Bool) {
        self.layout = layout
        weights = Mutex(EngineWeights(layout: layout, parameters: parameters))
        rowSlot = Mutex(Array(repeating: -1, count: gradients ? layout.config.vocabularySize : 0))
        slots = (0 ..< max(1, threads)).map { _ in
            EngineSlot(LevelEngine<M>(layout: layout, capacity: capacity, gradients: gradients))
        }
        pool = WorkerPool(size: slots.count)
    }

    var threads: Int { slots.count }

    func load(parameters: [T]) {
        let packed = EngineWeights<M>(layout: layout, parameters: parameters)
        weights.withLock { $0 = packed }
    }

    func lossAndGradient(
        trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout?
    )
        -> (loss: Double, nodes: Int, gradient: Gradient<T>)
    {
        let (loss, nodes, shards) = shardGradients(
            trees: trees, data: data, parameters: parameters, dropout: dropout)
        var gradient = shards[0]
        if shards.count > 1 {
            rowSlot.withLock { rowSlot in
                for (k, row) in gradient.rows.enumerated() { rowSlot[Int(row)] = Int32(k) }
                for shard in shards.dropFirst() { gradient.add(shard, rowSlot: &rowSlot) }
                for row in gradient.rows { rowSlot[Int(row)] = -1 }
            }
        }
        return (loss, nodes, gradient)
    }

    /// Summed loss, labelled nodes, and one unmerged gradient per worker, in worker order.
    func shardGradients(
        trees: [Int], data: EncodedTreebank, parameters: [T], dropout: Dropout?
    )
        -> (loss: Double, nodes: Int, shards: [Gradient<T>])
    {
        let weights = self.weights.withLock { $0 }, layout = self.layout
        // Trees range from 3 to 100+ nodes: split by node count, not tree count, so no
        // worker idles at the end of a minibatch.
        var cost = [Int](repeating: 0, count: trees.count + 1)
        for (k, t) in trees.enumerated() { cost[k + 1] = cost[k] + data.treebank.nodes(of: t).count }
        let bounds = Self.balancedBounds(prefix: cost, parts: threads)
        let shards = runSharded(trees.count, bounds: bounds) { engine, range in
            engine.clearGradients()
            var loss = 0.0, nodes = 0
            let classes = UInt8(layout.config.classes)
            parameters.withUnsafeBufferPointer { params in
                data.withArrays { arrays in
                    loss = Double(
                        engine.forward(
                            trees: trees[range], data: data, arrays: arrays, w: weights,
                            L: params.baseAddress! + layout.L.offset, dropout: dropout))
                    engine.backward(arrays: arrays, w: weights)
                    for k in range {
                        for i in data.treebank.nodes(of: trees[k]) where arrays.labels[i] < classes {
                            nodes += 1
                        }
                    }
                }
            }
            return (loss, nodes, engine.exportGradient())
        }
        let loss = shards.reduce(0.0) { $0 + $1.0 }, nodes = shards.reduce(0) { $0 + $1.1 }
        return (loss, nodes, shards.map(\.2))
    }

    /// Trees per batched forward pass during evaluation (bounds the rows in flight).
    static var evaluationChunk: Int { 256 }

    /// Scores every tree; counts are integers, so they do not depend on the thread count
    /// (the summed loss may differ in the last bits).
    func evaluate(_ data: EncodedTreebank, parameters: [T]) -> (metrics: Metrics, outcomes: [TreeOutcome]) {
        let weights = self.weights.withLock { $0 }, layout = self.layout
        let bounds = Self.balancedBounds(prefix: data.treebank.treeStart.map(Int.init), parts: threads)
        let shards = runSharded(data.count, bounds: bounds) { engine, range in
            var metrics = Metrics(classes: layout.config.classes)
            var outcomes: [TreeOutcome] = []
            outcomes.reserveCapacity(range.count)
            var nodePredictions: [UInt8] = []
            self.forwardInChunks(engine, trees: range, data: data, parameters: parameters, weights: weights) {
                k, t, arrays in
                let s = engine.schedule
                let r = data.treebank.nodes(of: t)
                var loss: T = 0
                var rootPrediction: UInt8 = 0
                nodePredictions.removeAll(keepingCapacity: true)
                for i in r {
                    let row = Int(s.rowOfNode[s.treeOffset[k] + i - r.lowerBound])
                    let p = engine.probabilities(row: row)
                    let predicted = UInt8(argmax(p))
                    let isRoot = i == r.upperBound - 1
                    if isRoot { rootPrediction = predicted }
                    loss += engine.rowLoss[row]
                    metrics.count(
                        gold: arrays.labels[i], predicted: predicted,
                        positive: isPositive(p), isRoot: isRoot)
                    nodePredictions.append(predicted)
                }
                metrics.byLength.count(tree: t, of: data.treebank, predicted: nodePredictions)
                metrics.lossSum += Double(loss)
                metrics.trees += 1
                outcomes.append(
                    TreeOutcome(
                        tree: t, goldRoot: arrays.labels[r.upperBound - 1],
                        predictedRoot: rootPrediction, loss: Float(loss)))
            }
            return (metrics, outcomes)
        }
        var metrics = Metrics(classes: layout.config.classes)
        var outcomes: [TreeOutcome] = []
        for (m, o) in shards {
            metrics.merge(m)
            outcomes += o
        }
        return (metrics, outcomes)
    }

    /// The forward pass of `engine` over the trees of `range`, `evaluationChunk` trees at a
    /// time; after each chunk, `body(k, t, arrays)` for its `k`-th tree `t`, whose nodes'
    /// rows `engine.schedule` then holds.
    func forwardInChunks(
        _ engine: LevelEngine<M>, trees range: Range<Int>, data: EncodedTreebank, parameters: [T],
        weights: EngineWeights<M>, _ body: (Int, Int, TreeArrays) -> Void
    ) {
        let offset = layout.L.offset
        parameters.withUnsafeBufferPointer { params in
            data.withArrays { arrays in
                for chunk in stride(from: range.lowerBound, to: range.upperBound, by: Self.evaluationChunk) {
                    let trees = chunk ..< min(range.upperBound, chunk + Self.evaluationChunk)
                    engine.forward(
                        trees: trees, data: data, arrays: arrays, w: weights, L: params.baseAddress! + offset)
                    for (k, t) in trees.enumerated() { body(k, t, arrays) }
                }
            }
        }
    }

    /// Every node's class distribution, flat in node order (`[nodeCount][C]`), batched and
    /// sharded as `evaluate` is: what an ensemble averages over its members.
    func nodeProbabilities(_ data: EncodedTreebank, parameters: [T]) -> [Float] {
        let weights = self.weights.withLock { $0 }
        let classes = layout.config.classes
        let bounds = Self.balancedBounds(prefix: data.treebank.treeStart.map(Int.init), parts: threads)
        // Shards are contiguous runs of trees, and a tree's nodes are contiguous: the shards'
        // rows concatenated in worker order are the treebank's nodes in order.
        let shards = runSharded(data.count, bounds: bounds) { engine, range in
            var out: [Float] = []
            self.forwardInChunks(engine, trees: range, data: data, parameters: parameters, weights: weights) {
                k, t, _ in
                let s = engine.schedule
                let r = data.treebank.nodes(of: t)
                for i in r {
                    let row = Int(s.rowOfNode[s.treeOffset[k] + i - r.lowerBound])
                    out += engine.probabilities(row: row).map { Float($0) }
                }
            }
            return out
        }
        var all: [Float] = []
        all.reserveCapacity(data.treebank.nodeCount * classes)
        for shard in shards { all += shard }
        return all
    }

    /// Tree `t`'s predictions, run on slot `slot` (a caller running on several threads gives
    /// each its own slot, so they never wait for each other's engine).
    func predict(tree t: Int, data: EncodedTreebank, parameters: [T], slot: Int = 0) -> TreePrediction {
        let weights = self.weights.withLock { $0 }, layout = self.layout
        return slots[slot % slots.count].engine.withLock { engine in
            _ = parameters.withUnsafeBufferPointer { params in
                data.withArrays { arrays in
                    engine.forward(
                        trees: CollectionOfOne(t), data: data, arrays: arrays, w: weights,
                        L: params.baseAddress! + layout.L.offset)
                }
            }
            var prediction = TreePrediction(probabilities: [], predicted: [])
            for i in 0 ..< data.treebank.nodes(of: t).count {
                let p = engine.probabilities(row: Int(engine.schedule.rowOfNode[i]))
                prediction.probabilities.append(p.map { Float($0) })
                prediction.predicted.append(UInt8(argmax(p)))
            }
            return prediction
        }
    }

    /// Runs `body(engine, shard)` for each worker on its own contiguous shard of
    /// `0..<count`, concurrently, and returns the results in worker order.
    func runSharded<R: Sendable>(
        _ count: Int, bounds: [Int], _ body: @escaping @Sendable (LevelEngine<M>, Range<Int>) -> R
    ) -> [R] {
        let n = slots.count
        if n == 1 { return [slots[0].engine.withLock { body($0, 0 ..< count) }] }
        let results = WorkerResults<R>(count: n)
        let slots = self.slots
        pool.run(parts: n) { w in
            let shard = bounds[w] ..< bounds[w + 1]
            results.store(slots[w].engine.withLock { body($0, shard) }, at: w)
        }
        return results.values
    }

    /// Cut points splitting items with cumulative cost `prefix` into `parts` contiguous
    /// ranges of about equal cost.
    static func balancedBounds(prefix: [Int], parts: Int) -> [Int] {
        let count = prefix.count - 1, total = prefix[count]
        var bounds = [0]
        var k = 0
        for p in 1 ..< parts {
            let target = total * p / parts
            while k < count && prefix[k] < target { k += 1 }
            bounds.append(max(bounds.last!, k))
        }
        bounds.append(count)
        return bounds
    }
}

/// One result slot per worker: worker `w` writes only slot `w`, and the caller reads them
/// after the pool's run has returned, so no lock is needed.
///
/// Not a `Mutex`: workers finishing together would contend for it, and ThreadSanitizer
/// cannot see a contended `Synchronization.Mutex` hand-off on Linux (it happens inside the
/// uninstrumented library), so it reports a race that is not there.
private final class WorkerResults<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ result: R, at worker: Int) { slots[worker] = result }

    /// Every worker's result, in worker order.
    var values: [R] { slots.map { $0! } }
}
