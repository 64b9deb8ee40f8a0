import RealModule

/// The softmax layer every model ends in, packed for the engine's products.
///
///   UT [sp × Cp]  U transposed, classes padded to one SIMD chunk (Cp = 16)
///   Up [C × sp]   U row-major, padded        bs [Cp]
/// (`op` here is sp = padded(s), the softmax's input width: the hidden layer's or the outputs'.)
struct SoftmaxWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let op: Int, Cp: Int, C: Int

    init<S: BinaryFloatingPoint>(layout: ParameterLayout, parameters p: UnsafePointer<S>) {
        let o = layout.config.softmaxWidth
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

    func withPointers<R>(
        _ body: (_ UT: UnsafePointer<T>, _ Up: UnsafePointer<T>, _ bs: UnsafePointer<T>) -> R
    ) -> R {
        withThreeBlocks(storage, op * Cp, C * op, body)
    }
}

/// The three consecutive blocks of packed `storage`: `first` scalars, `second`, the rest.
@inline(__always)
func withThreeBlocks<T, R>(
    _ storage: [T], _ first: Int, _ second: Int,
    _ body: (UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>) -> R
) -> R {
    storage.withUnsafeBufferPointer { b in
        let p = b.baseAddress!
        return body(p, p + first, p + first + second)
    }
}

/// A model's packed weights plus the classifier's: what one parameter update produces.
struct EngineWeights<M: LevelModel>: Sendable {
    let model: M.Weights
    let softmax: SoftmaxWeights<M.T>
    /// The classifier's hidden layer, if the model has one.
    let hidden: HiddenLayerWeights<M.T>?

    init(layout: ParameterLayout, parameters: [M.T]) {
        (model, softmax, hidden) = parameters.withUnsafeBufferPointer {
            (
                M.pack(layout: layout, parameters: $0.baseAddress!),
                SoftmaxWeights(layout: layout, parameters: $0.baseAddress!),
                layout.Wc == nil ? nil : HiddenLayerWeights(layout: layout, parameters: $0.baseAddress!)
            )
        }
    }
}

/// Runs a model over many trees at once, level by level (see `LevelSchedule`).
///
/// Shapes (R rows, K leaves, xp/op padded input/output widths, sp padded softmax input width
/// (op without a hidden layer), dp = padded(d), Cp = 16):
///   X [K × xp] leaf word vectors (⊙ LM under leaf dropout)
///   Z [R × Cp] logits, then probabilities          D3 [R × Cp] δ3 = ŷ − y
///   EO [R × op] error at each output vector         DX [K × xp] error at each leaf's word vector
///   MK [R × op] dropout mask           DO [R × op] outputs ⊙ mask (training with dropout only)
///   LM [K × xp] leaf-input mask        SM [R × dp] mask on each node's state as its parent
///                                      reads it (the model applies it; see `LevelModel`)
///   LW [K] word each leaf read (its own, or `<unk>` under word dropout)
/// With a hidden layer (`HiddenLayer`) the softmax reads its q, and the error at q goes to
/// its EQ before it reaches EO.
/// Gradients: gUT [sp × Cp], gbs [Cp], gL [touched × xp] (row k belongs to word
/// `touchedRows[k]`); the model and the hidden layer keep their own.
final class LevelEngine<M: LevelModel> {
    typealias T = M.T
    let layout: ParameterLayout
    let model: M
    let C: Int, Cp: Int, op: Int, x: Int, xp: Int, sp: Int, dp: Int
    /// The classifier's hidden layer, if the model has one.
    let hidden: HiddenLayer<T>?
    var schedule = LevelSchedule()
    private(set) var capacity = 0
    var X: UnsafeMutablePointer<T>, Z: UnsafeMutablePointer<T>, D3: UnsafeMutablePointer<T>
    var EO: UnsafeMutablePointer<T>, DX: UnsafeMutablePointer<T>
    var MK: UnsafeMutablePointer<T>, DO: UnsafeMutablePointer<T>
    var LM: UnsafeMutablePointer<T>, SM: UnsafeMutablePointer<T>
    var LW: UnsafeMutablePointer<Int32>
    /// Cross-entropy of each row's node (0 for unlabelled nodes), from `forward`.
    var rowLoss: UnsafeMutablePointer<T>
    let gUT: UnsafeMutablePointer<T>, gbs: UnsafeMutablePointer<T>
    /// The word-vector gradient, compact: one row per touched word, in first-touch order.
    /// A dense [V × xp] buffer scattered rows over megabytes, and at d=30 its cache misses
    /// cost more than the arithmetic of the leaves.
    var gL: UnsafeMutablePointer<T>
    private var gLRows = 0
    /// The row of `gL` of each word, or -1 if the minibatch has not touched it.    [V]
    var slotOfWord: [Int32]
    var touchedRows: [Int32] = []
    /// What the classifier read in the last `forward` [R × op]: the model's output vectors
    /// (owned by the model), or `DO` under dropout.
    private var outputs: UnsafeMutablePointer<T>? = nil
    /// What the softmax read [R × sp]: `outputs`, or the hidden layer's q.
    private var softmaxInput: UnsafeMutablePointer<T>? = nil
    /// Whether the last `forward` applied a dropout mask (`MK`, `DO` hold it and its result).
    private var dropped = false
    /// Whether the last `forward` masked the leaves' word vectors (`LM` holds the masks).
    private var leavesDropped = false

    /// `gradients: false` skips the gradient buffers for forward-only use.
    init(layout: ParameterLayout, capacity: Int = 1024, gradients: Bool = true) {
        self.layout = layout
        let cfg = layout.config
        model = M(layout: layout, gradients: gradients)
        C = cfg.classes; Cp = padded(C); op = padded(cfg.outputWidth); x = cfg.inputWidth; xp = padded(x)
        sp = padded(cfg.softmaxWidth); dp = padded(cfg.dim)
        hidden = cfg.classifierHidden.map { HiddenLayer(layout: layout, hidden: $0, gradients: gradients) }
        let g = gradients ? 1 : 0
        gUT = zeroed(g * sp * Cp); gbs = zeroed(g * Cp); gL = zeroed(0)
        slotOfWord = Array(repeating: -1, count: g * cfg.vocabularySize)
        X = zeroed(0); Z = zeroed(0); D3 = zeroed(0); EO = zeroed(0); DX = zeroed(0); rowLoss = zeroed(0)
        MK = zeroed(0); DO = zeroed(0); LM = zeroed(0); SM = zeroed(0); LW = .allocate(capacity: 1)
        reserve(rows: capacity)
    }

    deinit {
        for p in [X, Z, D3, EO, DX, rowLoss, MK, DO, LM, SM, gUT, gbs, gL] { p.deallocate() }
        LW.deallocate()
    }

    func reserve(rows: Int) {
        guard rows > capacity else { return }
        for p in [X, Z, D3, EO, DX, rowLoss] { p.deallocate() }
        LW.deallocate()
        capacity = max(rows, capacity * 3 / 2)
        LW = .allocate(capacity: capacity)
        X = zeroed(capacity * xp); Z = zeroed(capacity * Cp); D3 = zeroed(capacity * Cp)
        EO = zeroed(capacity * op); DX = zeroed(capacity * xp); rowLoss = zeroed(capacity)
        // The dropout buffers grow on first use: evaluation-only engines never need them.
        if dropoutCapacity > 0 { reserveDropout() }
        model.reserve(rows: capacity)
        hidden?.reserve(rows: capacity)
    }

    /// Class distribution of row `row` after `forward`.                     [C]
    func probabilities(row: Int) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer(start: Z + row * Cp, count: C)
    }

    /// Rows the dropout buffers `MK`, `DO`, `LM`, `SM` hold (0 until a forward pass uses
    /// dropout).
    private var dropoutCapacity = 0

    private func reserveDropout() {
        guard dropoutCapacity < capacity else { return }
        for p in [MK, DO, LM, SM] { p.deallocate() }
        MK = zeroed(capacity * op); DO = zeroed(capacity * op)
        LM = zeroed(capacity * xp); SM = zeroed(capacity * dp)
        dropoutCapacity = capacity
    }

    /// Schedules and runs `trees` forward; returns their summed cross-entropy.
    ///
    /// Afterwards row `schedule.rowOfNode[k]` holds the k-th node of the given trees (tree
    /// by tree, post-order): its distribution in `probabilities(row:)`, its loss in `rowLoss`.
    /// With an active `dropout` (training only) the softmax reads the masked outputs, and
    /// with its word dropout some leaves read `<unk>`.
    @discardableResult
    func forward<S: Collection<Int>>(
        trees: S, data: EncodedTreebank, arrays t: TreeArrays,
        w: EngineWeights<M>, L: UnsafePointer<T>, dropout: Dropout? = nil
    ) -> T {
        schedule.build(trees: trees, data: data)
        let R = schedule.rows
        reserve(rows: R)
        // Pads stay zero: rows of X are only ever written to width x.
        for row in schedule.level(0) {
            let node = Int(schedule.node[row])
            let word = dropout?.leafWord(t.words[node], node: node) ?? t.words[node]
            LW[row] = word
            copyExact(n: x, L + Int(word) * x, X + row * xp)
        }
        leavesDropped = false
        model.stateMask = nil
        if let dropout, dropout.dropsLeaves || dropout.dropsState {
            reserveDropout()
            if dropout.dropsLeaves {
                // x̃ = x ⊙ m: every model reads its leaves' words from X only.
                for row in schedule.level(0) {
                    let mask = LM + row * xp
                    dropout.fillLeafMask(node: Int(schedule.node[row]), width: x, into: mask)
                    multiplyExact(n: x, mask, X + row * xp)
                }
                leavesDropped = true
            }
            if dropout.dropsState {
                // One mask per node, on its state as its parent reads it (roots' go unused).
                let d = layout.config.dim
                for row in 0 ..< R {
                    dropout.fillStateMask(node: Int(schedule.node[row]), width: d, into: SM + row * dp)
                }
                model.stateMask = UnsafePointer(SM)
            }
        }
        model.forwardLeaves(schedule, x: X, w: w.model)
        for h in 1 ..< max(1, schedule.levels) { model.forwardLevel(h, schedule, w: w.model) }
        var outputs = model.forwardOutputs(schedule, w: w.model)
        let o = layout.config.outputWidth, s = layout.config.softmaxWidth
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
        var softmaxInput = outputs
        if let hidden, let weights = w.hidden {
            softmaxInput = hidden.forward(rows: R, input: outputs, w: weights)
        }
        self.softmaxInput = softmaxInput
        return w.softmax.withPointers { UT, _, bs in
            broadcastRows(m: R, n: Cp, v: bs, y: Z, ldy: Cp)
            classProduct(m: R, k: s, a: softmaxInput, rowStride: sp, columnStride: 1, b: UT, c: Z)
            var loss: T = 0
            if T.self == Float.self && Cp == laneWidth {
                // Training and evaluation: one SIMD exp per row instead of C libm calls.
                let Z = UnsafeMutableRawPointer(Z).assumingMemoryBound(to: Float.self)
                let lanes = ClassLanes(classes: C)
                var row = 0
                // Two rows per exp while classes fit in half a chunk: the exp's latency, not
                // its arithmetic, bounded one row at a time.
                while C <= 8 && row + 1 < R {
                    let labels = (t.labels[Int(schedule.node[row])], t.labels[Int(schedule.node[row + 1])])
                    let (l0, l1) = softmaxPair(Z + row * Cp, lanes, labels: labels)
                    rowLoss[row] = T(l0); rowLoss[row + 1] = T(l1)
                    loss += T(l0)
                    loss += T(l1)
                    row += 2
                }
                for row in row ..< R {
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
        guard let outputs, let softmaxInput else { preconditionFailure("backward before forward") }
        addColumnSums(m: R, n: Cp, x: D3, ldx: Cp, y: gbs)
        // The error at the softmax input: the outputs' (EO), or the hidden layer's q (EQ).
        let errorIn = hidden?.EQ ?? EO
        w.softmax.withPointers { _, Up, _ in
            // ∂U += δ3 inᵀ (stored transposed);  error at the softmax input = Uᵀδ3
            classProduct(m: sp, k: R, a: softmaxInput, rowStride: 1, columnStride: sp, b: D3, c: gUT)
            zero(n: R * sp, errorIn)
            gemm(
                m: R, n: sp, k: C, a: D3, rowStride: Cp, columnStride: 1, b: Up, ldb: sp, c: errorIn, ldc: sp)
        }
        if let hidden, let weights = w.hidden {
            hidden.backward(rows: R, input: outputs, error: EO, w: weights)
        }
        // Through the mask: the error at the model's outputs is (Uᵀδ3) ⊙ mask.
        if dropped { for i in 0 ..< R * op { EO[i] *= MK[i] } }
        model.backwardOutputs(schedule, error: EO, w: w.model)
        for h in stride(from: schedule.levels - 1, through: 1, by: -1) {
            model.backwardLevel(h, schedule, w: w.model)
        }
        let leaves = schedule.leafCount
        zero(n: leaves * xp, DX)
        model.backwardLeaves(schedule, x: X, dx: DX, w: w.model)
        // Through the leaf mask: x̃ = x ⊙ m, so ∂J/∂x = m ⊙ ∂J/∂x̃.
        if leavesDropped { for i in 0 ..< leaves * xp { DX[i] *= LM[i] } }
        for row in 0 ..< leaves {
            let word = Int(LW[row])
            var slot = Int(slotOfWord[word])
            if slot < 0 {
                slot = touchedRows.count
                slotOfWord[word] = Int32(slot)
                touchedRows.append(Int32(word))
                if slot == gLRows { growWordGradient() }
                copyVector(n: xp, DX + row * xp, gL + slot * xp)
            } else {
                axpy(n: xp, alpha: 1, x: DX + row * xp, y: gL + slot * xp)
            }
        }
    }

    /// `gemm` into a product whose columns are the classes (B and C [· × Cp]): in 8-column
    /// strips when the classes fit (SST's 5), where half of a 16-column strip multiplied zeros.
    private func classProduct(
        m: Int, k: Int, a: UnsafePointer<T>, rowStride: Int, columnStride: Int,
        b: UnsafePointer<T>, c: UnsafeMutablePointer<T>
    ) {
        if C <= 8 {
            blockedProduct(
                SIMD8<T>.self, m: m, n: 8, k: k, a: a, rowStride: rowStride, columnStride: columnStride,
                b: b, ldb: Cp, c: c, ldc: Cp)
        } else {
            gemm(
                m: m, n: Cp, k: k, a: a, rowStride: rowStride, columnStride: columnStride, b: b, ldb: Cp,
                c: c, ldc: Cp)
        }
    }

    /// Doubles the rows `gL` holds, keeping the rows written so far.
    private func growWordGradient() {
        let rows = max(256, 2 * gLRows)
        let grown: UnsafeMutablePointer<T> = zeroed(rows * xp)
        grown.update(from: gL, count: gLRows * xp)
        gL.deallocate()
        gL = grown
        gLRows = rows
    }

    /// Sets every gradient accumulator to zero (a word's row of gL is set when first touched).
    func clearGradients() {
        zero(n: sp * Cp, gUT); zero(n: Cp, gbs)
        hidden?.clearGradients()
        for row in touchedRows { slotOfWord[Int(row)] = -1 }
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
            hidden?.exportGradient(into: grad, layout: layout)
            let o = layout.config.softmaxWidth
            for c in 0 ..< C {
                for j in 0 ..< o { grad[layout.U.offset + c * o + j] = gUT[j * Cp + c] }
                grad[layout.bs.offset + c] = gbs[c]
            }
        }
        g.takeSlots(touchedRows, from: gL, stride: xp)
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
        fill = unsafeBitCast(
            SIMD16<Float>((0 ..< 16).map { $0 < classes ? 0 : -1e4 }), to: SIMD16<Int32>.self)
    }
}

/// Replaces a row of logits z [16] (classes in the first `classes` lanes, 0 after) by its
/// softmax, pads kept 0; returns the cross-entropy of `label`, or 0 if it is unlabelled.
///
/// loss = log Σ exp(z − max) + max − z_gold, so no exponent overflows. Up to 8 classes
/// (SST's 5) take one 8-lane exp, half the work of 16 lanes; lanes 8–15 are then pads,
/// already 0.
@inline(__always)
func softmaxRow(_ z: UnsafeMutablePointer<Float>, _ lanes: ClassLanes, label: UInt8) -> Float {
    let C = lanes.classes
    // Max and sum over the C lanes one by one: SIMD's reductions run over all lanes in a
    // serial chain, slower than the scalar loops for C = 5.
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
    var total: Float = 0
    if C <= 8 {
        let keep = lanes.keep.lowHalf, fill = lanes.fill.lowHalf
        let raw = UnsafeRawPointer(z).loadUnaligned(as: SIMD8<Int32>.self)
        let v = unsafeBitCast((raw & keep) | fill, to: SIMD8<Float>.self)
        let e = unsafeBitCast(
            unsafeBitCast(fastExp(v - top), to: SIMD8<Int32>.self) & keep, to: SIMD8<Float>.self)
        for c in 0 ..< C { total += e[c] }
        UnsafeMutableRawPointer(z).storeBytes(of: e * (1 / total), as: SIMD8<Float>.self)
    } else {
        let keep = lanes.keep, fill = lanes.fill
        let v = unsafeBitCast(
            (unsafeBitCast(load(z, 0), to: SIMD16<Int32>.self) & keep) | fill, to: SIMD16<Float>.self)
        let e = unsafeBitCast(
            unsafeBitCast(fastExp(v - top), to: SIMD16<Int32>.self) & keep, to: SIMD16<Float>.self)
        for c in 0 ..< C { total += e[c] }
        store(e * (1 / total), z, 0)
    }
    return label < C ? Float.log(total) + top - gold : 0
}

/// `softmaxRow` of two rows at once, z [16] and z + 16 [16], for up to 8 classes: both rows
/// share one 16-lane exp, with the same operations on each lane as `softmaxRow`, so the
/// results are the same bits.
@inline(__always)
func softmaxPair(
    _ z: UnsafeMutablePointer<Float>, _ lanes: ClassLanes, labels: (UInt8, UInt8)
) -> (Float, Float) {
    let C = lanes.classes, y = z + 16
    var top0 = -Float.infinity, bottom0 = Float.infinity, top1 = -Float.infinity, bottom1 = Float.infinity
    for c in 0 ..< C {
        top0 = Swift.max(top0, z[c]); bottom0 = Swift.min(bottom0, z[c])
        top1 = Swift.max(top1, y[c]); bottom1 = Swift.min(bottom1, y[c])
    }
    guard C <= 8, top0 - bottom0 < 1e6, top1 - bottom1 < 1e6 else {
        return (softmaxRow(z, lanes, label: labels.0), softmaxRow(y, lanes, label: labels.1))
    }
    let gold0 = labels.0 < C ? z[Int(labels.0)] : 0, gold1 = labels.1 < C ? y[Int(labels.1)] : 0
    let keep8 = lanes.keep.lowHalf, keep = SIMD16(lowHalf: keep8, highHalf: keep8)
    let fill8 = lanes.fill.lowHalf, fill = SIMD16(lowHalf: fill8, highHalf: fill8)
    let raw = SIMD16(
        lowHalf: UnsafeRawPointer(z).loadUnaligned(as: SIMD8<Int32>.self),
        highHalf: UnsafeRawPointer(y).loadUnaligned(as: SIMD8<Int32>.self))
    let v = unsafeBitCast((raw & keep) | fill, to: SIMD16<Float>.self)
    let tops = SIMD16(lowHalf: SIMD8(repeating: top0), highHalf: SIMD8(repeating: top1))
    let e = unsafeBitCast(
        unsafeBitCast(fastExp(v - tops), to: SIMD16<Int32>.self) & keep, to: SIMD16<Float>.self)
    var total0: Float = 0, total1: Float = 0
    for c in 0 ..< C { total0 += e[c]; total1 += e[8 + c] }
    UnsafeMutableRawPointer(z).storeBytes(of: e.lowHalf * (1 / total0), as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(y).storeBytes(of: e.highHalf * (1 / total1), as: SIMD8<Float>.self)
    return (
        labels.0 < C ? Float.log(total0) + top0 - gold0 : 0,
        labels.1 < C ? Float.log(total1) + top1 - gold1 : 0
    )
}
