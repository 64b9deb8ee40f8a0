import RealModule

/// The softmax layer every model ends in, packed for the engine's products.
///
///   UT [op × Cp]  U transposed, classes padded to one SIMD chunk (Cp = 16)
///   Up [C × op]   U row-major, padded        bs [Cp]
struct SoftmaxWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let op: Int, Cp: Int, C: Int

    init<S: BinaryFloatingPoint>(layout: ParameterLayout, parameters p: UnsafePointer<S>) {
        let o = layout.config.outputWidth
        C = layout.config.classes; op = padded(o); Cp = padded(C)
        var s = [T](repeating: 0, count: op * Cp + C * op + Cp)
        for c in 0 ..< C {
            for j in 0 ..< o {
                let v = T(p[layout.U.offset + c * o + j])
                s[j * Cp + c] = v
                s[op * Cp + c * op + j] = v
            }
            s[op * Cp + C * op + c] = T(p[layout.bs.offset + c])
        }
        storage = s
    }

    func withPointers<R>(_ body: (_ UT: UnsafePointer<T>, _ Up: UnsafePointer<T>, _ bs: UnsafePointer<T>) -> R) -> R {
        storage.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            return body(p, p + op * Cp, p + op * Cp + C * op)
        }
    }
}

/// A model's packed weights plus the softmax's: what one parameter update produces.
struct EngineWeights<M: LevelModel>: Sendable {
    let model: M.Weights
    let softmax: SoftmaxWeights<M.T>

    init(layout: ParameterLayout, parameters: [M.T]) {
        (model, softmax) = parameters.withUnsafeBufferPointer {
            (M.pack(layout: layout, parameters: $0.baseAddress!), SoftmaxWeights(layout: layout, parameters: $0.baseAddress!))
        }
    }
}

/// Runs a model over many trees at once, level by level (see `LevelSchedule`).
///
/// Shapes (R rows, K leaves, xp/op padded input/output widths, Cp = 16):
///   X [K × xp] leaf word vectors      Z [R × Cp] logits, then probabilities
///   D3 [R × Cp] δ3 = ŷ − y            EO [R × op] error at each output vector
///   DX [K × xp] error at each leaf's word vector
///   MK [R × op] dropout mask           DO [R × op] outputs ⊙ mask (training with dropout only)
/// Gradients: gUT [op × Cp], gbs [Cp], gL [V × xp] (only `touchedRows` are non-zero); the
/// model keeps its own.
final class LevelEngine<M: LevelModel> {
    typealias T = M.T
    let layout: ParameterLayout
    let model: M
    let C: Int, Cp: Int, op: Int, x: Int, xp: Int
    var schedule = LevelSchedule()
    private(set) var capacity = 0
    var X: UnsafeMutablePointer<T>, Z: UnsafeMutablePointer<T>, D3: UnsafeMutablePointer<T>
    var EO: UnsafeMutablePointer<T>, DX: UnsafeMutablePointer<T>
    var MK: UnsafeMutablePointer<T>, DO: UnsafeMutablePointer<T>
    /// Cross-entropy of each row's node (0 for unlabelled nodes), from `forward`.
    var rowLoss: UnsafeMutablePointer<T>
    let gUT: UnsafeMutablePointer<T>, gbs: UnsafeMutablePointer<T>, gL: UnsafeMutablePointer<T>
    var touched: [Bool]
    var touchedRows: [Int32] = []
    /// What the softmax read in the last `forward` [R × op]: the model's output vectors
    /// (owned by the model), or `DO` under dropout.
    private var outputs: UnsafeMutablePointer<T>? = nil
    /// Whether the last `forward` applied a dropout mask (`MK`, `DO` hold it and its result).
    private var dropped = false

    /// `gradients: false` skips the gradient buffers for forward-only use.
    init(layout: ParameterLayout, capacity: Int = 1024, gradients: Bool = true) {
        self.layout = layout
        let cfg = layout.config
        model = M(layout: layout, gradients: gradients)
        C = cfg.classes; Cp = padded(C); op = padded(cfg.outputWidth); x = cfg.inputWidth; xp = padded(x)
        let g = gradients ? 1 : 0
        gUT = zeroed(g * op * Cp); gbs = zeroed(g * Cp); gL = zeroed(g * cfg.vocabularySize * xp)
        touched = Array(repeating: false, count: g * cfg.vocabularySize)
        X = zeroed(0); Z = zeroed(0); D3 = zeroed(0); EO = zeroed(0); DX = zeroed(0); rowLoss = zeroed(0)
        MK = zeroed(0); DO = zeroed(0)
        reserve(rows: capacity)
    }

    deinit {
        for p in [X, Z, D3, EO, DX, rowLoss, MK, DO, gUT, gbs, gL] { p.deallocate() }
    }

    func reserve(rows: Int) {
        guard rows > capacity else { return }
        for p in [X, Z, D3, EO, DX, rowLoss] { p.deallocate() }
        capacity = max(rows, capacity * 3 / 2)
        X = zeroed(capacity * xp); Z = zeroed(capacity * Cp); D3 = zeroed(capacity * Cp)
        EO = zeroed(capacity * op); DX = zeroed(capacity * xp); rowLoss = zeroed(capacity)
        // The dropout buffers grow on first use: evaluation-only engines never need them.
        if dropoutCapacity > 0 { reserveDropout() }
        model.reserve(rows: capacity)
    }

    /// Class distribution of row `row` after `forward`.                     [C]
    func probabilities(row: Int) -> UnsafeBufferPointer<T> { UnsafeBufferPointer(start: Z + row * Cp, count: C) }

    /// Rows the dropout buffers `MK`, `DO` hold (0 until a forward pass uses dropout).
    private var dropoutCapacity = 0

    private func reserveDropout() {
        guard dropoutCapacity < capacity else { return }
        MK.deallocate(); DO.deallocate()
        MK = zeroed(capacity * op); DO = zeroed(capacity * op)
        dropoutCapacity = capacity
    }

    /// Schedules and runs `trees` forward; returns their summed cross-entropy.
    ///
    /// Afterwards row `schedule.rowOfNode[k]` holds the k-th node of the given trees (tree
    /// by tree, post-order): its distribution in `probabilities(row:)`, its loss in `rowLoss`.
    /// With an active `dropout` (training only) the softmax reads the masked outputs.
    @discardableResult
    func forward<S: Collection<Int>>(trees: S, data: EncodedTreebank, arrays t: TreeArrays,
                                     w: EngineWeights<M>, L: UnsafePointer<T>, dropout: Dropout? = nil) -> T {
        schedule.build(trees: trees, data: data)
        let R = schedule.rows
        reserve(rows: R)
        // Pads stay zero: rows of X are only ever written to width x.
        for row in schedule.level(0) {
            (X + row * xp).update(from: L + Int(t.words[Int(schedule.node[row])]) * x, count: x)
        }
        model.forwardLeaves(schedule, x: X, w: w.model)
        for h in 1 ..< max(1, schedule.levels) { model.forwardLevel(h, schedule, w: w.model) }
        var outputs = model.forwardOutputs(schedule, w: w.model)
        let o = layout.config.outputWidth
        dropped = false
        if let dropout, dropout.isActive {
            // The model's outputs stay as they are (its backward reads them); the softmax
            // reads DO = outputs ⊙ mask. Pads of MK stay zero, so pads of DO do too.
            reserveDropout()
            for row in 0 ..< R {
                let mask = MK + row * op, out = outputs + row * op, masked = DO + row * op
                dropout.fillMask(node: Int(schedule.node[row]), width: o, into: mask)
                for j in 0 ..< o { masked[j] = out[j] * mask[j] }
            }
            outputs = DO
            dropped = true
        }
        self.outputs = outputs
        return w.softmax.withPointers { UT, _, bs in
            broadcastRows(m: R, n: Cp, v: bs, y: Z, ldy: Cp)
            gemm(m: R, n: Cp, k: o, a: outputs, rowStride: op, columnStride: 1, b: UT, ldb: Cp, c: Z, ldc: Cp)
            var loss: T = 0
            if T.self == Float.self && Cp == laneWidth {
                // Training and evaluation: one SIMD exp per row instead of C libm calls.
                let Z = UnsafeMutableRawPointer(Z).assumingMemoryBound(to: Float.self)
                let lanes = ClassLanes(classes: C)
                for row in 0 ..< R {
                    let label = t.labels[Int(schedule.node[row])]
                    let l = softmaxRow(Z + row * Cp, lanes, label: label)
                    rowLoss[row] = T(l)
                    loss += T(l)
                }
                return loss
            }
            for row in 0 ..< R {
                let z = Z + row * Cp
                var top = -T.infinity
                for c in 0 ..< C { top = Swift.max(top, z[c]) }
                let label = t.labels[Int(schedule.node[row])]
                let gold = label < C ? z[Int(label)] : 0
                var total: T = 0
                for c in 0 ..< C {
                    z[c] = T.exp(z[c] - top)
                    total += z[c]
                }
                // loss = log Σ exp(z) − z_gold, from the shifted logits (no overflow).
                let l = label < C ? T.log(total) + top - gold : 0
                rowLoss[row] = l
                loss += l
                let inverse = 1 / total
                for c in 0 ..< C { z[c] *= inverse }
            }
            return loss
        }
    }

    /// Accumulates the gradient of the summed cross-entropy of the trees last run `forward`:
    /// the softmax here, the model's levels from the top down, then the word vectors.
    func backward(arrays t: TreeArrays, w: EngineWeights<M>) {
        let R = schedule.rows
        // δ3 = ŷ − y on labelled rows, 0 elsewhere.
        for row in 0 ..< R {
            let d3 = D3 + row * Cp, z = Z + row * Cp
            let label = t.labels[Int(schedule.node[row])]
            if label < C {
                for c in 0 ..< C { d3[c] = z[c] }
                d3[Int(label)] -= 1
            } else {
                for c in 0 ..< C { d3[c] = 0 }
            }
            for c in C ..< Cp { d3[c] = 0 }
        }
        guard let outputs else { preconditionFailure("backward before forward") }
        addColumnSums(m: R, n: Cp, x: D3, ldx: Cp, y: gbs)
        w.softmax.withPointers { _, Up, _ in
            // ∂U += δ3 outᵀ (stored transposed);  error at the outputs = Uᵀδ3
            gemm(m: op, n: Cp, k: R, a: outputs, rowStride: 1, columnStride: op, b: D3, ldb: Cp, c: gUT, ldc: Cp)
            zero(n: R * op, EO)
            gemm(m: R, n: op, k: C, a: D3, rowStride: Cp, columnStride: 1, b: Up, ldb: op, c: EO, ldc: op)
        }
        // Through the mask: the error at the model's outputs is (Uᵀδ3) ⊙ mask.
        if dropped { for i in 0 ..< R * op { EO[i] *= MK[i] } }
        model.backwardOutputs(schedule, error: EO, w: w.model)
        for h in stride(from: schedule.levels - 1, through: 1, by: -1) { model.backwardLevel(h, schedule, w: w.model) }
        let leaves = schedule.leafCount
        zero(n: leaves * xp, DX)
        model.backwardLeaves(schedule, x: X, dx: DX, w: w.model)
        for row in 0 ..< leaves {
            let word = Int(t.words[Int(schedule.node[row])])
            if !touched[word] {
                touched[word] = true
                touchedRows.append(Int32(word))
            }
            axpy(n: xp, alpha: 1, x: DX + row * xp, y: gL + word * xp)
        }
    }

    /// Sets every gradient accumulator to zero (touching only used rows of gL).
    func clearGradients() {
        zero(n: op * Cp, gUT); zero(n: Cp, gbs)
        for row in touchedRows {
            zero(n: xp, gL + Int(row) * xp)
            touched[Int(row)] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
        model.clearGradients()
    }

    /// Copies the accumulated gradient out in canonical layout (dense tensors + touched L rows).
    func exportGradient() -> Gradient<T> {
        let layout = self.layout
        var g = Gradient<T>(layout: layout)
        g.dense.withUnsafeMutableBufferPointer { out in
            let grad = out.baseAddress! - layout.L.count
            model.exportGradient(into: grad)
            let o = layout.config.outputWidth
            for c in 0 ..< C {
                for j in 0 ..< o { grad[layout.U.offset + c * o + j] = gUT[j * Cp + c] }
                grad[layout.bs.offset + c] = gbs[c]
            }
        }
        g.takeRows(touchedRows, from: gL, stride: xp)
        return g
    }
}

/// A zero-filled buffer of `n` scalars (at least one, so every pointer is valid).
func zeroed<T: ModelScalar>(_ n: Int) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
    p.initialize(repeating: 0, count: max(n, 1))
    return p
}

/// Bit masks that pick the class lanes of a row of logits: pads become −10⁴, whose exp is
/// ~0 and which is never the maximum of real logits closer than 10⁶.
struct ClassLanes {
    let classes: Int
    let keep: SIMD16<Int32>, fill: SIMD16<Int32>
    init(classes: Int) {
        self.classes = classes
        keep = SIMD16((0 ..< 16).map { $0 < classes ? -1 : 0 })
        fill = unsafeBitCast(SIMD16<Float>((0 ..< 16).map { $0 < classes ? 0 : -1e4 }), to: SIMD16<Int32>.self)
    }
}

/// Replaces a row of logits z [16] (classes in the first `classes` lanes, 0 after) by its
/// softmax, pads kept 0; returns the cross-entropy of `label`, or 0 if it is unlabelled.
///
/// loss = log Σ exp(z − max) + max − z_gold, so no exponent overflows.
@inline(__always)
func softmaxRow(_ z: UnsafeMutablePointer<Float>, _ lanes: ClassLanes, label: UInt8) -> Float {
    let keep = lanes.keep, fill = lanes.fill, C = lanes.classes
    // Max and sum over the C lanes one by one: SIMD's reductions run over all 16 lanes in
    // a serial chain, slower than the scalar loops for C = 5.
    var top = -Float.infinity, bottom = Float.infinity
    for c in 0 ..< C { top = Swift.max(top, z[c]); bottom = Swift.min(bottom, z[c]) }
    let gold = label < C ? z[Int(label)] : 0
    guard top - bottom < 1e6 else {
        // Beyond `fastExp`'s range (a diverging run): libm, lane by lane.
        var total: Float = 0
        for c in 0 ..< C { z[c] = Float.exp(z[c] - top); total += z[c] }
        for c in 0 ..< C { z[c] /= total }
        return label < C ? Float.log(total) + top - gold : 0
    }
    let v = unsafeBitCast((unsafeBitCast(load(z, 0), to: SIMD16<Int32>.self) & keep) | fill, to: SIMD16<Float>.self)
    let e = unsafeBitCast(unsafeBitCast(fastExp(v - top), to: SIMD16<Int32>.self) & keep, to: SIMD16<Float>.self)
    store(e, z, 0)
    var total: Float = 0
    for c in 0 ..< C { total += z[c] }
    store(e * (1 / total), z, 0)
    return label < C ? Float.log(total) + top - gold : 0
}
