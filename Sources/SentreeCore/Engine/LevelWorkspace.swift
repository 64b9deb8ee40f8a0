import RealModule

/// One worker's buffers for running many trees at once, level by level (see `LevelSchedule`).
///
/// Every product is one `gemm` over all rows of a level (or of all levels), instead of a
/// matrix–vector product per node. Shapes (R rows, dp/mp/op padded widths, Cp = 16):
///   H [R × dp] node vectors        X [R × 2dp] gathered [h_l pad | h_r pad] (internal rows)
///   H2 [R × mp] second layer       Z [R × Cp] logits, then probabilities
///   D3 [R × Cp] δ3 = ŷ − y         D2 [R × mp] δ2 (rnn2)       E [R × dp] error at each h
///   Δ [R × 2dp] errors a level sends to its children
/// Gradients accumulate in the packed layout of `TreeWorkspace`, except gWx [2dp × dp] (W
/// transposed with padded input rows, as `gemm` leaves it) and gUT [op × Cp].
public final class LevelWorkspace<T: ModelScalar> {
    let layout: ParameterLayout
    let kind: ModelKind
    let d: Int, m: Int, C: Int, dp: Int, mp: Int, op: Int, Cp: Int
    var schedule = LevelSchedule()
    private(set) var capacity = 0
    var H: UnsafeMutablePointer<T>, X: UnsafeMutablePointer<T>, H2: UnsafeMutablePointer<T>
    var Z: UnsafeMutablePointer<T>, D3: UnsafeMutablePointer<T>, D2: UnsafeMutablePointer<T>
    var E: UnsafeMutablePointer<T>, Delta: UnsafeMutablePointer<T>
    /// Summed cross-entropy of each row's node (0 for unlabelled nodes), from `forward`.
    var rowLoss: UnsafeMutablePointer<T>

    let gWx: UnsafeMutablePointer<T>, gb: UnsafeMutablePointer<T>
    let gW2T: UnsafeMutablePointer<T>, gb2: UnsafeMutablePointer<T>
    let gUT: UnsafeMutablePointer<T>, gbs: UnsafeMutablePointer<T>
    let gL: UnsafeMutablePointer<T>
    var touched: [Bool]
    var touchedRows: [Int32] = []

    /// `gradients: false` skips the gradient buffers for forward-only use.
    public init(layout: ParameterLayout, capacity: Int = 1024, gradients: Bool = true) {
        self.layout = layout
        let cfg = layout.config
        kind = cfg.kind
        d = cfg.dim; m = cfg.kind == .rnn2 ? cfg.middle : 0; C = cfg.classes
        dp = padded(d); mp = padded(m); op = cfg.kind == .rnn2 ? mp : dp; Cp = padded(C)
        let g = gradients ? 1 : 0
        gWx = zeroed(g * 2 * dp * dp); gb = zeroed(g * dp)
        gW2T = zeroed(g * d * mp); gb2 = zeroed(g * mp)
        gUT = zeroed(g * op * Cp); gbs = zeroed(g * Cp)
        gL = zeroed(g * cfg.vocabularySize * dp)
        touched = Array(repeating: false, count: g * cfg.vocabularySize)
        H = zeroed(0); X = zeroed(0); H2 = zeroed(0); Z = zeroed(0)
        D3 = zeroed(0); D2 = zeroed(0); E = zeroed(0); Delta = zeroed(0); rowLoss = zeroed(0)
        reserve(rows: capacity)
    }

    deinit {
        for p in [H, X, H2, Z, D3, D2, E, Delta, rowLoss, gWx, gb, gW2T, gb2, gUT, gbs, gL] { p.deallocate() }
    }

    /// Grows the per-row buffers to hold `rows` rows.
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        for p in [H, X, H2, Z, D3, D2, E, Delta, rowLoss] { p.deallocate() }
        capacity = max(rows, capacity * 3 / 2)
        H = zeroed(capacity * dp); X = zeroed(capacity * 2 * dp); H2 = zeroed(capacity * mp)
        Z = zeroed(capacity * Cp); D3 = zeroed(capacity * Cp); D2 = zeroed(capacity * mp)
        E = zeroed(capacity * dp); Delta = zeroed(capacity * 2 * dp); rowLoss = zeroed(capacity)
    }

    /// Vectors the softmax reads: H (rnn) or H2 (rnn2), `op` wide.
    var outputs: UnsafeMutablePointer<T> { kind == .rnn ? H : H2 }

    /// Schedules and runs `trees` forward; returns their summed cross-entropy.
    ///
    /// Afterwards row `schedule.rowOfNode[k]` of `Z` holds the class distribution of the
    /// k-th node of the given trees (tree by tree, post-order).
    @discardableResult
    func forward<S: Collection<Int>>(trees: S, data: EncodedTreebank, arrays t: TreeArrays,
                                     w: PackedPointers<T>, L: UnsafePointer<T>) -> T {
        schedule.build(trees: trees, data: data)
        let R = schedule.rows
        reserve(rows: R)
        // Leaves: copy the word vectors (pads stay zero: rows are only ever written to width d).
        for row in schedule.level(0) {
            (H + row * dp).update(from: L + Int(t.words[Int(schedule.node[row])]) * d, count: d)
        }
        // Each level: X = [h_l | h_r] gathered, H = relu(X · Wᵀ + b).
        for h in 1 ..< max(1, schedule.levels) {
            let rows = schedule.level(h), n = rows.count
            let x = X + (rows.lowerBound - schedule.leafCount) * 2 * dp
            for (k, row) in rows.enumerated() {
                copyVector(n: dp, H + Int(schedule.leftRow[row]) * dp, x + k * 2 * dp)
                copyVector(n: dp, H + Int(schedule.rightRow[row]) * dp, x + k * 2 * dp + dp)
            }
            let y = H + rows.lowerBound * dp
            broadcastRows(m: n, n: dp, v: w.b, y: y, ldy: dp)
            gemm(m: n, n: dp, k: 2 * dp, a: x, rowStride: 2 * dp, columnStride: 1, b: w.WTx, ldb: dp, c: y, ldc: dp)
            reluInPlace(n: n * dp, y)
        }
        // The softmax inputs of all rows at once (they feed no composition).
        if kind == .rnn2 {
            broadcastRows(m: R, n: mp, v: w.b2, y: H2, ldy: mp)
            gemm(m: R, n: mp, k: d, a: H, rowStride: dp, columnStride: 1, b: w.W2T, ldb: mp, c: H2, ldc: mp)
            reluInPlace(n: R * mp, H2)
        }
        let o = layout.config.outputWidth
        broadcastRows(m: R, n: Cp, v: w.bs, y: Z, ldy: Cp)
        gemm(m: R, n: Cp, k: o, a: outputs, rowStride: op, columnStride: 1, b: w.UT, ldb: Cp, c: Z, ldc: Cp)
        var loss: T = 0
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

    /// Accumulates the gradient of the summed cross-entropy of the trees last run `forward`.
    ///
    /// The math of `TreeWorkspace.backward` (gradients.md, with W2ᵀδ2 for rnn2), one level
    /// at a time from the top: errors for a whole level, then one product per weight.
    func backward(arrays t: TreeArrays, w: PackedPointers<T>) {
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
        addColumnSums(m: R, n: Cp, x: D3, ldx: Cp, y: gbs)
        gemm(m: op, n: Cp, k: R, a: outputs, rowStride: 1, columnStride: op, b: D3, ldb: Cp, c: gUT, ldc: Cp)
        zero(n: R * dp, E)
        if kind == .rnn {
            gemm(m: R, n: dp, k: C, a: D3, rowStride: Cp, columnStride: 1, b: w.Up, ldb: op, c: E, ldc: dp)
        } else {
            // δ2 = Uᵀδ3 ∘ 1{h2 > 0};  error at h1 = W2ᵀδ2
            zero(n: R * mp, D2)
            gemm(m: R, n: mp, k: C, a: D3, rowStride: Cp, columnStride: 1, b: w.Up, ldb: op, c: D2, ldc: mp)
            maskByPositive(n: R * mp, D2, H2)
            addColumnSums(m: R, n: mp, x: D2, ldx: mp, y: gb2)
            gemm(m: d, n: mp, k: R, a: H, rowStride: 1, columnStride: dp, b: D2, ldb: mp, c: gW2T, ldc: mp)
            gemm(m: R, n: dp, k: m, a: D2, rowStride: mp, columnStride: 1, b: w.W2p, ldb: dp, c: E, ldc: dp)
        }
        for h in stride(from: schedule.levels - 1, through: 1, by: -1) {
            let rows = schedule.level(h), n = rows.count
            let e = E + rows.lowerBound * dp
            let x = X + (rows.lowerBound - schedule.leafCount) * 2 * dp
            // δ = e ∘ 1{W[h_l; h_r] + b > 0};  ∂W += δ [h_l; h_r]ᵀ;  children get Wᵀδ.
            maskByPositive(n: n * dp, e, H + rows.lowerBound * dp)
            addColumnSums(m: n, n: dp, x: e, ldx: dp, y: gb)
            gemm(m: 2 * dp, n: dp, k: n, a: x, rowStride: 1, columnStride: 2 * dp, b: e, ldb: dp, c: gWx, ldc: dp)
            zero(n: n * 2 * dp, Delta)
            gemm(m: n, n: 2 * dp, k: d, a: e, rowStride: dp, columnStride: 1, b: w.Wp, ldb: 2 * dp,
                 c: Delta, ldc: 2 * dp)
            for (k, row) in rows.enumerated() {
                axpy(n: dp, alpha: 1, x: Delta + k * 2 * dp, y: E + Int(schedule.leftRow[row]) * dp)
                axpy(n: dp, alpha: 1, x: Delta + k * 2 * dp + dp, y: E + Int(schedule.rightRow[row]) * dp)
            }
        }
        for row in schedule.level(0) {
            let word = Int(t.words[Int(schedule.node[row])])
            if !touched[word] {
                touched[word] = true
                touchedRows.append(Int32(word))
            }
            axpy(n: dp, alpha: 1, x: E + row * dp, y: gL + word * dp)
        }
    }

    /// Sets every gradient accumulator to zero (touching only used rows of gL).
    func clearGradients() {
        zero(n: 2 * dp * dp, gWx); zero(n: dp, gb)
        zero(n: d * mp, gW2T); zero(n: mp, gb2)
        zero(n: op * Cp, gUT); zero(n: Cp, gbs)
        for row in touchedRows {
            zero(n: dp, gL + Int(row) * dp)
            touched[Int(row)] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
    }

    /// Copies the accumulated gradient out in canonical layout (dense tensors + touched L rows).
    func exportGradient() -> Gradient<T> {
        let layout = self.layout
        var g = Gradient<T>(layout: layout)
        g.dense.withUnsafeMutableBufferPointer { out in
            let grad = out.baseAddress! - layout.L.count
            for i in 0 ..< d {
                for j in 0 ..< 2 * d { grad[layout.W.offset + i * 2 * d + j] = gWx[(j < d ? j : dp + j - d) * dp + i] }
                grad[layout.b.offset + i] = gb[i]
            }
            if let W2 = layout.W2, let B2 = layout.b2 {
                for k in 0 ..< m {
                    for j in 0 ..< d { grad[W2.offset + k * d + j] = gW2T[j * mp + k] }
                    grad[B2.offset + k] = gb2[k]
                }
            }
            let o = layout.config.outputWidth
            for c in 0 ..< C {
                for j in 0 ..< o { grad[layout.U.offset + c * o + j] = gUT[j * Cp + c] }
                grad[layout.bs.offset + c] = gbs[c]
            }
        }
        g.rows = touchedRows
        g.rowValues.reserveCapacity(touchedRows.count * d)
        for row in touchedRows {
            let p = gL + Int(row) * dp
            for j in 0 ..< d { g.rowValues.append(p[j]) }
        }
        return g
    }
}

/// A zero-filled buffer of `n` scalars (at least one, so every pointer is valid).
func zeroed<T: ModelScalar>(_ n: Int) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
    p.initialize(repeating: 0, count: max(n, 1))
    return p
}
