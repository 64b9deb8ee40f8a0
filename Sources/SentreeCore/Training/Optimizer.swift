import CIntrinsics
import RealModule

/// Minibatch update rules on the canonical parameter buffer.
///
/// AdaGrad keeps a running sum of squared gradients per parameter (same layout as the
/// parameters; checkpointed). Rows of `L` are updated only where the minibatch touched
/// them, so an update costs time proportional to its words, not to the vocabulary; an
/// untouched row's gradient is exactly 0 (L is decayed, with `wordL2`, only where a minibatch
/// uses it, as in CoreNLP's RNTN trainer), so skipping it is exact.
public struct Optimizer: Sendable {
    public let kind: OptimizerKind
    public let layout: ParameterLayout
    /// The update rule of the rows of `L`, when they have their own (`nil`: `kind`).
    public let wordKind: OptimizerKind?
    /// AdaGrad's Σg² per parameter, or empty when neither rule is AdaGrad.
    public var accumulator: [Float]
    /// Learning-rate multiplier for the rows of `L`; 0 leaves them (and their Σg²) untouched.
    public var embeddingScale: Float = 1
    /// L2 strength on the classifier `U` (`nil`: the `l2` of `step`, like the other matrices).
    public var classifierL2: Float? = nil
    /// L2 strength on the rows of `L` a minibatch touches (0: word vectors are not decayed).
    public var wordL2: Float = 0
    /// AdaGrad's ε, added to √Σg² so the first steps are bounded (`TrainingConfig.adagradEpsilon`).
    public var epsilon: Float = defaultEpsilon
    /// The ε of runs that do not choose one.
    public static let defaultEpsilon = Float(TrainingConfig.defaultAdagradEpsilon)

    public init(
        kind: OptimizerKind, layout: ParameterLayout, accumulator: [Float]? = nil,
        wordKind: OptimizerKind? = nil
    ) {
        self.kind = kind
        self.layout = layout
        self.wordKind = wordKind
        // SGD with AdaGrad words keeps the dense part of the sums at 0: one layout for both.
        if kind == .adagrad || wordKind == .adagrad {
            self.accumulator = accumulator ?? [Float](repeating: 0, count: layout.count)
        } else {
            self.accumulator = []
        }
    }

    /// Zeroes AdaGrad's Σg² (nothing for SGD), so the step sizes grow back to the base rate.
    public mutating func resetAccumulator() {
        for i in accumulator.indices { accumulator[i] = 0 }
    }

    /// Scratch maps from an L row to its slot while merging worker gradients (-1 between
    /// uses), one per part of the pool: `rowSlot[part · V + row]`. One shared map had the
    /// parts' neighbouring rows on one cache line, which then bounced between the cores.
    var rowSlot: [Int32] = []

    /// One minibatch update from the workers' unmerged gradients (each summed over its shard
    /// of trees): merge them in worker order, scale by `scale`, add the L2 term, and update.
    /// The rows of `L` move at `wordLearningRate` when given (the word vectors' own rule),
    /// else at `embeddingScale` × `learningRate`.
    ///
    /// The work is split over `pool` by parameter (dense ranges, and L rows in blocks of 16),
    /// because done on one thread this serial part kept two threads from being faster than one
    /// at d=30. Every parameter sees the same operations in the same order whichever thread
    /// runs it, so a given thread count stays bit-for-bit reproducible.
    mutating func step(
        _ parameters: inout [Float], shards: [Gradient<Float>], scale: Float, l2: Float,
        learningRate: Double, wordLearningRate: Double? = nil, pool: WorkerPool
    ) {
        let layout = self.layout, base = layout.L.count, x = layout.config.inputWidth
        let denseCount = layout.count - base
        // Small updates run on the calling thread: splitting the d=30 RNN's update (about 12k
        // values) over two cores made it 3× slower, as the parts' values then cross between
        // the cores' caches. From d=150 on (the Tree-LSTM's 450k dense values) it pays.
        let parts = denseCount + shards[0].rows.count * x < 65536 ? 1 : pool.size
        let V = layout.config.vocabularySize
        if rowSlot.count < parts * V {
            rowSlot = [Int32](repeating: -1, count: parts * V)
        }
        let regularized = decayedRanges(l2: l2), wordL2 = self.wordL2
        let lr = Float(learningRate), adagrad = kind == .adagrad
        let rowRate = wordLearningRate.map(Float.init) ?? lr * embeddingScale
        let rowsAdagrad = (wordKind ?? kind) == .adagrad
        let epsilon = self.epsilon
        // A scale of 0 freezes L, Σg² included.
        let updateRows = embeddingScale != 0
        parameters.withUnsafeMutableBufferPointer { p in
            accumulator.withUnsafeMutableBufferPointer { acc in
                rowSlot.withUnsafeMutableBufferPointer { slots in
                    let params = PartitionedBuffer(p.baseAddress!)
                    // SGD keeps no Σg²: `update` then never touches it.
                    let acc = PartitionedBuffer(acc.baseAddress ?? p.baseAddress!), p = params
                    let allSlots = PartitionedBuffer(slots.baseAddress!)
                    pool.run(parts: parts) { part in
                        // Dense tensors: this part's range, merged, scaled, regularized, applied.
                        let range = (denseCount * part / parts) ..< (denseCount * (part + 1) / parts)
                        let g = UnsafeMutablePointer<Float>.allocate(capacity: max(range.count, 1))
                        defer { g.deallocate() }
                        let n = range.count
                        shards[0].dense.withUnsafeBufferPointer {
                            g.update(from: $0.baseAddress! + range.lowerBound, count: n)
                        }
                        for shard in shards.dropFirst() {
                            shard.dense.withUnsafeBufferPointer {
                                add(n: n, $0.baseAddress! + range.lowerBound, into: g)
                            }
                        }
                        scaleVector(n: n, by: scale, g)
                        for (r, strength) in regularized where r.overlaps(range) {
                            for i in r.clamped(to: range) {
                                g[i - range.lowerBound] += strength * p.base[base + i]
                            }
                        }
                        Self.update(
                            adagrad: adagrad, p.base + base + range.lowerBound,
                            acc.base + base + range.lowerBound, g, range.count, rate: lr,
                            epsilon: epsilon)
                        // Rows of L: blocks of 16 rows per part, in first-touch order (neighbouring
                        // rows share cache lines, so alternating rows would bounce them).
                        guard updateRows else { return }
                        let slots = allSlots.base + part * V
                        // Pointers are taken once per shard: a retain per row, on arrays both
                        // threads read, bounced their reference counts between the cores and
                        // made this loop slower on two threads than on one.
                        var rows: [Int32] = [], values: [Float] = []
                        let most = shards.reduce(0) { $0 + $1.rows.count }
                        rows.reserveCapacity(most)
                        values.reserveCapacity(most * x)
                        for shard in shards {
                            shard.rows.withUnsafeBufferPointer { shardRows in
                                shard.rowValues.withUnsafeBufferPointer { shardValues in
                                    for (k, row) in shardRows.enumerated() where Int(row) / 16 % parts == part
                                    {
                                        let from = shardValues.baseAddress! + k * x
                                        let slot = Int(slots[Int(row)])
                                        if slot < 0 {
                                            // The row's Σg² was last read when its word last
                                            // came up: usually out of cache. Start loading it
                                            // now, so the update below does not wait on each row.
                                            let sums = UnsafeRawPointer(acc.base + Int(row) * x)
                                            for line in stride(from: 0, to: 4 * x, by: 64) {
                                                sentree_prefetch_write(sums + line)
                                            }
                                            sentree_prefetch_write(sums + 4 * x - 1)
                                            slots[Int(row)] = Int32(rows.count)
                                            rows.append(row)
                                            values.append(
                                                contentsOf: UnsafeBufferPointer(start: from, count: x))
                                        } else {
                                            values.withUnsafeMutableBufferPointer {
                                                add(n: x, from, into: $0.baseAddress! + slot * x)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        values.withUnsafeMutableBufferPointer { v in
                            for (k, row) in rows.enumerated() {
                                slots[Int(row)] = -1
                                let gr = v.baseAddress! + k * x
                                scaleVector(n: x, by: scale, gr)
                                if wordL2 != 0 {
                                    for j in 0 ..< x { gr[j] += wordL2 * p.base[Int(row) * x + j] }
                                }
                                Self.update(
                                    adagrad: rowsAdagrad, p.base + Int(row) * x, acc.base + Int(row) * x, gr,
                                    x,
                                    rate: rowRate, epsilon: epsilon)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The regularized tensors as ranges of the dense part (offsets after `L`) with their L2
    /// strength: `l2`, or `classifierL2` for the classifier (`U`, and `Wc` when it has one); tensors with strength 0 are left out.
    func decayedRanges(l2: Float) -> [(range: Range<Int>, strength: Float)] {
        let base = layout.L.count
        return layout.tensors.filter(\.regularized).compactMap { t in
            let classifier = t.offset == layout.U.offset || t.offset == layout.Wc?.offset
            let strength = classifier ? classifierL2 ?? l2 : l2
            return strength == 0
                ? nil : ((t.range.lowerBound - base) ..< (t.range.upperBound - base), strength)
        }
    }

    /// Applies `count` gradient values `g` to parameters `p` (and AdaGrad's Σg² `acc`).
    ///
    /// Eight lanes at a time (the compiler would not vectorize the scalar loop: p and acc
    /// might alias); sqrt and division are correctly rounded, so every form gives the
    /// same bits.
    static func update(
        adagrad: Bool, _ p: UnsafeMutablePointer<Float>, _ acc: UnsafeMutablePointer<Float>,
        _ g: UnsafePointer<Float>, _ count: Int, rate lr: Float, epsilon: Float
    ) {
        guard adagrad else {
            for j in 0 ..< count { p[j] -= lr * g[j] }
            return
        }
        let pp = UnsafeMutableRawPointer(p), ap = UnsafeMutableRawPointer(acc), gp = UnsafeRawPointer(g)
        let rate = SIMD8<Float>(repeating: lr), eps = SIMD8<Float>(repeating: epsilon)
        @inline(__always) func updated(at j: Int) -> (sums: SIMD8<Float>, values: SIMD8<Float>) {
            let gi = gp.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
            let a = ap.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self) + gi * gi
            let v = pp.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
            return (a, v - rate * gi / (sentree_sqrt8(a) + eps))
        }
        guard count >= 8 else {
            // Fewer than eight: one SIMD step on copies, the same operations per lane.
            var gi = SIMD8<Float>(), a = SIMD8<Float>(), v = SIMD8<Float>()
            for l in 0 ..< count { gi[l] = g[l]; a[l] = acc[l]; v[l] = p[l] }
            a += gi * gi
            v -= rate * gi / (sentree_sqrt8(a) + eps)
            for l in 0 ..< count { acc[l] = a[l]; p[l] = v[l] }
            return
        }
        // The last eight lanes are computed first, from the values as they are, and stored
        // last: where they overlap the chunks before them they store the same bits again, and
        // a row of 30 or 50 needs no lane-by-lane tail.
        let last = count - 8, tail = updated(at: last)
        var j = 0
        while j < last {
            let (a, v) = updated(at: j)
            ap.storeBytes(of: a, toByteOffset: 4 * j, as: SIMD8<Float>.self)
            pp.storeBytes(of: v, toByteOffset: 4 * j, as: SIMD8<Float>.self)
            j += 8
        }
        ap.storeBytes(of: tail.sums, toByteOffset: 4 * last, as: SIMD8<Float>.self)
        pp.storeBytes(of: tail.values, toByteOffset: 4 * last, as: SIMD8<Float>.self)
    }
}

/// A buffer whose disjoint parts different pool members write at once.
///
/// `@unchecked Sendable` is true as used: each member touches only the indices of its own
/// part, and `WorkerPool.run` returns only after every part finished (release/acquire on
/// the job's counter), so no index is shared between threads while they run.
struct PartitionedBuffer<E>: @unchecked Sendable {
    let base: UnsafeMutablePointer<E>
    init(_ base: UnsafeMutablePointer<E>) { self.base = base }
}

/// y += x      x, y: [n], any n (eight lanes, then one at a time: same sums either way)
private func add(n: Int, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
    let xp = UnsafeRawPointer(x), yp = UnsafeMutableRawPointer(y)
    var j = 0
    while j + 8 <= n {
        let v =
            yp.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
            + xp.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
        yp.storeBytes(of: v, toByteOffset: 4 * j, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { y[j] += x[j]; j += 1 }
}

/// y *= s      y: [n], any n
private func scaleVector(n: Int, by s: Float, _ y: UnsafeMutablePointer<Float>) {
    let yp = UnsafeMutableRawPointer(y), sv = SIMD8<Float>(repeating: s)
    var j = 0
    while j + 8 <= n {
        yp.storeBytes(
            of: yp.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self) * sv,
            toByteOffset: 4 * j, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { y[j] *= s; j += 1 }
}
