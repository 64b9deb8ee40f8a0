import Dispatch
import Synchronization

/// One worker's workspace behind its own lock, so it can be handed to a concurrent worker.
/// Each worker locks only its own slot (uncontended), and the reduce step runs alone.
final class WorkspaceSlot<T: ModelScalar>: Sendable {
    let workspace: Mutex<LevelWorkspace<T>>
    init(_ ws: sending LevelWorkspace<T>) { workspace = Mutex(ws) }
}

/// A tree model ready to run: packed weights plus one workspace per worker thread.
///
/// Owned by one thread at a time (the trainer's queue, or the caller of the gradient
/// check). Minibatches and evaluations fan out over the workers, each taking a contiguous
/// shard that it runs level by level (`LevelWorkspace`), and results are combined in worker
/// order, so a given thread count is deterministic and `threads: 1` is bit-for-bit
/// reproducible.
public final class TreeModel<T: ModelScalar> {
    public let layout: ParameterLayout
    public private(set) var weights: PackedWeights<T>
    let slots: [WorkspaceSlot<T>]
    /// Scratch map from L row to its slot while merging worker gradients (all -1 between uses).
    private var rowSlot: [Int32]

    public init(layout: ParameterLayout, parameters: [T], threads: Int = 1, maxTreeSize: Int = 128) {
        self.layout = layout
        weights = parameters.withUnsafeBufferPointer { PackedWeights(layout: layout, parameters: $0.baseAddress!) }
        rowSlot = Array(repeating: -1, count: layout.config.vocabularySize)
        slots = (0 ..< max(1, threads)).map { _ in
            WorkspaceSlot(LevelWorkspace<T>(layout: layout, capacity: 32 * maxTreeSize))
        }
    }

    public var threads: Int { slots.count }

    /// Refreshes the packed copies after the canonical parameters changed.
    public func load(parameters: [T]) {
        weights = parameters.withUnsafeBufferPointer { PackedWeights(layout: layout, parameters: $0.baseAddress!) }
    }

    /// Summed cross-entropy over `trees` and its (unscaled) gradient.
    ///
    /// Returns the loss sum over labelled nodes, their count, and the gradient summed over
    /// the trees, combined across workers in worker order.
    public func lossAndGradient(
        trees: [Int], data: EncodedTreebank, parameters: [T]
    ) -> (loss: Double, nodes: Int, gradient: Gradient<T>) {
        let weights = self.weights, layout = self.layout
        // Trees range from 3 to 100+ nodes: split by node count, not tree count, so no
        // worker idles at the end of a minibatch.
        var cost = [Int](repeating: 0, count: trees.count + 1)
        for (k, t) in trees.enumerated() { cost[k + 1] = cost[k] + data.treebank.nodes(of: t).count }
        let bounds = Self.balancedBounds(prefix: cost, parts: threads)
        let shards = runSharded(trees.count, bounds: bounds) { ws, range in
            ws.clearGradients()
            var loss = 0.0, nodes = 0
            let classes = UInt8(layout.config.classes)
            parameters.withUnsafeBufferPointer { params in
                let L = params.baseAddress! + layout.L.offset
                data.withArrays { arrays in
                    weights.withPointers { w in
                        loss = Double(ws.forward(trees: trees[range], data: data, arrays: arrays, w: w, L: L))
                        ws.backward(arrays: arrays, w: w)
                        for k in range {
                            for i in data.treebank.nodes(of: trees[k]) where arrays.labels[i] < classes { nodes += 1 }
                        }
                    }
                }
            }
            return (loss, nodes, ws.exportGradient())
        }
        var gradient = shards[0].2
        if shards.count > 1 {
            for (k, row) in gradient.rows.enumerated() { rowSlot[Int(row)] = Int32(k) }
            for shard in shards.dropFirst() { gradient.add(shard.2, rowSlot: &rowSlot) }
            for row in gradient.rows { rowSlot[Int(row)] = -1 }
        }
        let loss = shards.reduce(0.0) { $0 + $1.0 }, nodes = shards.reduce(0) { $0 + $1.1 }
        return (loss, nodes, gradient)
    }

    /// Runs `body(workspace, shard)` for each worker on its own contiguous shard of
    /// `0..<count`, concurrently, and returns the results in worker order.
    ///
    /// `bounds` (n+1 increasing indices from 0 to `count`) sets the shards; by default they
    /// are equal in count.
    public func runSharded<R: Sendable>(
        _ count: Int, bounds: [Int]? = nil, _ body: @escaping @Sendable (LevelWorkspace<T>, Range<Int>) -> R
    ) -> [R] {
        let n = slots.count
        if n == 1 { return [slots[0].workspace.withLock { body($0, 0 ..< count) }] }
        let bounds = bounds ?? (0 ... n).map { count * $0 / n }
        let results = WorkerResults<R>(count: n)
        let slots = self.slots
        DispatchQueue.concurrentPerform(iterations: n) { w in
            let shard = bounds[w] ..< bounds[w + 1]
            results.store(slots[w].workspace.withLock { body($0, shard) }, at: w)
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
/// after `concurrentPerform` has returned, so no lock is needed.
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
