import RealModule

/// The packed weights of the RNTN (n2 = 2d, xw = padded(2d), dp = padded(d), qw = row width of
/// the per-slice products, see `RNTNModel`):
///   Vp [n2 × qw]        V as one matrix: Vp[i, k·n2 + j] = V[k, i, j]
///   VS [d·n2 × xw]      symmetrized slices: VS[k·n2 + j, i] = V[k, i, j] + V[k, j, i]
///   WT [n2 × dp]        W transposed          Wp [d × xw]  W row-major, padded      b [dp]
struct RNTNWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let d: Int, dp: Int, xw: Int, qw: Int

    struct Pointers {
        let Vp: UnsafePointer<T>, VS: UnsafePointer<T>
        let WT: UnsafePointer<T>, Wp: UnsafePointer<T>, b: UnsafePointer<T>
    }

    static func count(d: Int, dp: Int, xw: Int, qw: Int) -> Int {
        2 * d * qw + d * 2 * d * xw + 2 * d * dp + d * xw + dp
    }

    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        storage.withUnsafeBufferPointer { buf in
            var p = buf.baseAddress!
            func take(_ n: Int) -> UnsafePointer<T> { defer { p += n }; return p }
            return body(
                Pointers(
                    Vp: take(2 * d * qw), VS: take(d * 2 * d * xw), WT: take(2 * d * dp),
                    Wp: take(d * xw), b: take(dp)))
        }
    }
}

/// The recursive neural tensor network (Socher et al. 2013; backward derived in docs/models/RNTN.md).
///
///     h = tanh(xᵀ V[1:d] x + W x + b),   x = [h_left; h_right]      h = L[word] at leaves
///
/// A level's tensor term is one product: P = G · Vp puts, for every row and slice k, the
/// vector xᵀV[k] at columns k·n2 ..< (k+1)·n2 of P, and bil_k is its dot with x. The slices
/// are packed back to back (stride n2 = 2d, not a padded width) so no FLOP is spent on
/// padding; the dot then reads xw ≥ n2 columns from k·n2, and the extra columns meet x's zero
/// pads. Backward builds Q = δ ⊗ x the same way (Q[row, k·n2 + j] = δ_k x_j), and then
/// Σ_k δ_k (V[k] + V[k]ᵀ) x = Q·VS is one product per level, and ∂V = Gᵀ·Q one product for
/// all levels at once (Q is kept for every internal row: a per-level ∂V would load and store
/// all of ∂V for each of the many small top levels of a minibatch).
///
/// Per worker, shapes (R rows, n rows of the largest level, n2 = 2d, xw = padded(n2),
/// qw = padded((d − 1)·n2 + xw), the width at which every slice's xw-wide read fits):
///   H [R × dp] node vectors      G [(R−K) × xw] gathered [h_l h_r 0…] of each internal row
///   Q [(R−K) × qw] δ ⊗ x of each internal row      P [n × qw] per-level scratch
///   Δ [n × xw] errors a level sends its children
///   E [R × dp] error at each h (the engine's output error: h is the output).
/// Gradients: gVp [n2 × qw] (as Vp), gWT [n2 × dp] (as WT), gb [dp].
final class RNTNModel<T: ModelScalar>: RegisteredModel {
    typealias Weights = RNTNWeights<T>
    let layout: ParameterLayout
    let d: Int, dp: Int, n2: Int, xw: Int, qw: Int
    private var capacity = 0, scratchRows = 0, qRows = 0
    var H: UnsafeMutablePointer<T>, G: UnsafeMutablePointer<T>, Delta: UnsafeMutablePointer<T>
    var P: UnsafeMutablePointer<T>, Q: UnsafeMutablePointer<T>
    var E: UnsafeMutablePointer<T>
    let gVp: UnsafeMutablePointer<T>, gWT: UnsafeMutablePointer<T>, gb: UnsafeMutablePointer<T>
    /// State dropout's masks on the children's h as the tensor and W read them: x̃ = [h_l ⊙ m_l;
    /// h_r ⊙ m_r] enters both terms, so G holds x̃ and ∂V, ∂W follow from it unchanged.
    var stateMask: UnsafePointer<T>? = nil

    static func tensors(_ c: ModelConfig) -> [TensorSpec] {
        let d = c.dim
        return [
            TensorSpec("V", [d, 2 * d, 2 * d], regularized: true),
            TensorSpec("W", [d, 2 * d], regularized: true), TensorSpec("b", [d], regularized: false),
        ]
    }

    /// CoreNLP's RNTN initialization: `W = [I I] + U(±1/(2√d))`, so a parent starts near
    /// the sum of its children; `V ~ U(±1/(4d))`, so the tensor term starts small against
    /// `W x` and the net begins as a tanh RNN that learns how much interaction it needs;
    /// `b = 0`. (Until 2026-11-25 sentree used `½[I I]` and normal draws of about the same
    /// scale; this one lifted dev binary root by about a point on seeds 1–6 of the sweep, not
    /// on 7–9: RESULTS.md, "The RNTN with CoreNLP's initialization and ε".)
    static func initialize(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        let d = layout.config.dim, W = layout.W
        guard let V = layout.tensor(named: "V") else { preconditionFailure("rntn without V") }
        let vRange = 1 / Double(4 * d), wRange = 1 / (2 * Double.sqrt(Double(d)))
        for i in V.range { p[i] = Float(g.symmetric(vRange)) }
        for i in W.range { p[i] = Float(g.symmetric(wRange)) }
        for i in 0 ..< d {
            p[W.offset + i * 2 * d + i] += 1
            p[W.offset + i * 2 * d + d + i] += 1
        }
    }

    /// CoreNLP's classifier: `U ~ U(±1/√d)`.
    static func initializeClassifier(
        _ p: inout [Float], layout: ParameterLayout,
        generator g: inout SplitMix64
    ) {
        let range = 1 / Double.sqrt(Double(layout.config.softmaxWidth))
        for i in layout.U.range { p[i] = Float(g.symmetric(range)) }
    }

    /// Per internal node, multiply-adds (2 FLOPs each) of: the tensor products forward
    /// (xᵀV, d·(2d)²), ∂V and Σ δ_k V-terms backward (each d·(2d)²); the slice dots, W
    /// forward, ∂W and Wᵀδ (d·2d each); plus the d·2d multiplies of Q = δ ⊗ x.
    static func flops(_ c: ModelConfig, leaves: Int, internalNodes: Int) -> Double {
        let d = Double(c.dim)
        return Double(internalNodes) * (2 * (3 * d * 4 * d * d + 4 * d * 2 * d) + d * 2 * d)
    }

    static var defaultDim: Int { 25 }

    static var gradientCheckStep: Double { 1e-3 }

    /// RESULTS.md, "RNTN and Tree-LSTM sweep on dev", "The RNTN with CoreNLP's initialization
    /// and ε", "Word dropout for the RNTN" and "Recipe sweep (issue 20)" (dev, seeds 1–9). lr
    /// 0.011 and above collapses some seeds; a reset makes every next step ±lr, which lr 0.015
    /// does not survive. Leaf dropout 0.2 adds about a point of binary root; state dropout and
    /// an early stop cost fine root.
    static var recommended: RecommendedSettings {
        RecommendedSettings(
            learningRate: 0.008, l2: 1e-3, dropout: 0.5, wordDropout: 1, adagradReset: 1,
            adagradEpsilon: 1e-3, leafDropout: 0.2)
    }

    @_specialize(where T == Float, U == Float)
    @_specialize(where T == Float, U == Double)
    static func engine<U: ModelScalar>(
        _: U.Type, layout: ParameterLayout, parameters: [U], threads: Int,
        capacity: Int, gradients: Bool
    ) -> ModelEngine<U> {
        ModelEngine(
            ShardedRunner<RNTNModel<U>>(
                layout: layout, parameters: parameters, threads: threads,
                capacity: capacity, gradients: gradients))
    }

    static func shapes(_ d: Int) -> (dp: Int, xw: Int, qw: Int) {
        let xw = padded(2 * d)
        return (padded(d), xw, padded((d - 1) * 2 * d + xw))
    }

    static func pack(layout: ParameterLayout, parameters p: UnsafePointer<T>) -> RNTNWeights<T> {
        let d = layout.config.dim, n2 = 2 * d, (dp, xw, qw) = shapes(d)
        var s = [T](repeating: 0, count: RNTNWeights<T>.count(d: d, dp: dp, xw: xw, qw: qw))
        let VS = n2 * qw, WT = VS + d * n2 * xw, Wp = WT + n2 * dp, b = Wp + d * xw
        guard let Vt = layout.tensor(named: "V") else { preconditionFailure("rntn without V") }
        let v = p + Vt.offset, w = p + layout.W.offset
        for k in 0 ..< d {
            for i in 0 ..< n2 {
                for j in 0 ..< n2 {
                    s[i * qw + k * n2 + j] = v[(k * n2 + i) * n2 + j]
                    s[VS + (k * n2 + j) * xw + i] = v[(k * n2 + i) * n2 + j] + v[(k * n2 + j) * n2 + i]
                }
            }
        }
        for i in 0 ..< d {
            for j in 0 ..< n2 {
                s[WT + j * dp + i] = w[i * n2 + j]
                s[Wp + i * xw + j] = w[i * n2 + j]
            }
            s[b + i] = p[layout.b.offset + i]
        }
        return RNTNWeights(storage: s, d: d, dp: dp, xw: xw, qw: qw)
    }

    init(layout: ParameterLayout, gradients: Bool) {
        self.layout = layout
        d = layout.config.dim; n2 = 2 * d
        (dp, xw, qw) = Self.shapes(d)
        let g = gradients ? 1 : 0
        gVp = zeroed(g * n2 * qw); gWT = zeroed(g * n2 * dp); gb = zeroed(g * dp)
        H = zeroed(0); G = zeroed(0); Delta = zeroed(0); P = zeroed(0); Q = zeroed(0)
        E = H
    }

    deinit {
        for p in [H, G, Delta, P, Q, gVp, gWT, gb] { p.deallocate() }
    }

    func reserve(rows: Int) {
        guard rows > capacity else { return }
        for p in [H, G] { p.deallocate() }
        capacity = rows
        H = zeroed(rows * dp); G = zeroed(rows * xw)
    }

    /// Grows the per-level scratch to `n` rows.
    private func reserveScratch(_ n: Int) {
        guard n > scratchRows else { return }
        for p in [P, Delta] { p.deallocate() }
        scratchRows = max(n, scratchRows * 3 / 2)
        P = zeroed(scratchRows * qw); Delta = zeroed(scratchRows * xw)
    }

    /// Grows Q to `n` rows (backward only, so forward-only engines never hold it). Q's columns
    /// past each row's last slice are never written, so they must start (and stay) zero:
    /// fresh buffers are zeroed.
    private func reserveQ(_ n: Int) {
        guard n > qRows else { return }
        Q.deallocate()
        qRows = max(n, qRows * 3 / 2)
        Q = zeroed(qRows * qw)
    }

    func forwardLeaves(_ s: LevelSchedule, x: UnsafePointer<T>, w: RNTNWeights<T>) {
        copyVector(n: s.leafCount * dp, x, H)
    }

    /// G = [h_l h_r 0…];  P = G·Vp;  H = tanh(bil + G·Wᵀ + b) with bil_k = P[row, k·n2 ..]·x
    func forwardLevel(_ h: Int, _ s: LevelSchedule, w: RNTNWeights<T>) {
        let rows = s.level(h), n = rows.count
        reserveScratch(n)
        let g = G + (rows.lowerBound - s.leafCount) * xw
        // Compact gather (h_r right after h_l): the pads of G past n2 are never written.
        for (k, row) in rows.enumerated() {
            (g + k * xw).update(from: H + Int(s.leftRow[row]) * dp, count: d)
            (g + k * xw + d).update(from: H + Int(s.rightRow[row]) * dp, count: d)
            if let m = stateMask {
                multiplyExact(n: d, m + Int(s.leftRow[row]) * dp, g + k * xw)
                multiplyExact(n: d, m + Int(s.rightRow[row]) * dp, g + k * xw + d)
            }
        }
        let y = H + rows.lowerBound * dp
        zero(n: n * qw, P)
        w.withPointers { w in
            gemm(m: n, n: qw, k: n2, a: g, rowStride: xw, columnStride: 1, b: w.Vp, ldb: qw, c: P, ldc: qw)
            broadcastRows(m: n, n: dp, v: w.b, y: y, ldy: dp)
            gemm(m: n, n: dp, k: n2, a: g, rowStride: xw, columnStride: 1, b: w.WT, ldb: dp, c: y, ldc: dp)
        }
        for r in 0 ..< n {
            let x = g + r * xw, p = P + r * qw, yr = y + r * dp
            for k in 0 ..< d { yr[k] += dot(n: xw, p + k * n2, x) }
        }
        tanhInPlace(rows: n, width: d, stride: dp, y)
    }

    func forwardOutputs(_ s: LevelSchedule, w: RNTNWeights<T>) -> UnsafeMutablePointer<T> { H }

    /// h is the output: the error at h is `e`.
    func backwardOutputs(_ s: LevelSchedule, error e: UnsafeMutablePointer<T>, w: RNTNWeights<T>) { E = e }

    /// δ = e ∘ (1 − h²) (in place: E's internal rows end as δ);  Q = δ ⊗ x;
    /// children get Wᵀδ + Q·VS = Wᵀδ + Σ_k δ_k (V[k] + V[k]ᵀ) x. The weight gradients are
    /// summed over all levels at once in `backwardLeaves`.
    func backwardLevel(_ h: Int, _ s: LevelSchedule, w: RNTNWeights<T>) {
        let rows = s.level(h), n = rows.count
        reserveScratch(n)
        reserveQ(s.rows - s.leafCount)
        let e = E + rows.lowerBound * dp
        let g = G + (rows.lowerBound - s.leafCount) * xw
        let Q = self.Q + (rows.lowerBound - s.leafCount) * qw
        multiplyByTanhDerivative(n: n * dp, e, H + rows.lowerBound * dp)
        for r in 0 ..< n {
            let x = g + r * xw, q = Q + r * qw, delta = e + r * dp
            // Rising k: each write's tail (x's zero pads) is overwritten by the next slice.
            for k in 0 ..< d { scaledCopy(n: xw, alpha: delta[k], x, q + k * n2) }
        }
        zero(n: n * xw, Delta)
        w.withPointers { w in
            gemm(m: n, n: xw, k: d, a: e, rowStride: dp, columnStride: 1, b: w.Wp, ldb: xw, c: Delta, ldc: xw)
            gemm(
                m: n, n: xw, k: d * n2, a: Q, rowStride: qw, columnStride: 1, b: w.VS, ldb: xw,
                c: Delta, ldc: xw)
        }
        for (k, row) in rows.enumerated() {
            let delta = Delta + k * xw, l = E + Int(s.leftRow[row]) * dp, r = E + Int(s.rightRow[row]) * dp
            // Under state dropout the parent read x̃ = [h_l ⊙ m_l; h_r ⊙ m_r]: ⊙ m on the way down.
            if let m = stateMask {
                multiplyExact(n: d, m + Int(s.leftRow[row]) * dp, delta)
                multiplyExact(n: d, m + Int(s.rightRow[row]) * dp, delta + d)
            }
            for i in 0 ..< d {
                l[i] += delta[i]
                r[i] += delta[d + i]
            }
        }
    }

    /// A leaf's h is its word vector: the error at it is the error at h. Also, now that every
    /// level has left its δ in E and δ ⊗ x in Q, over all internal rows at once:
    /// ∂b += Σ δ;  ∂Wᵀ += Gᵀ·δ;  ∂V += Gᵀ·Q.
    func backwardLeaves(
        _ s: LevelSchedule, x: UnsafePointer<T>, dx: UnsafeMutablePointer<T>,
        w: RNTNWeights<T>
    ) {
        copyVector(n: s.leafCount * dp, E, dx)
        let internalRows = s.rows - s.leafCount, delta = E + s.leafCount * dp
        addColumnSums(m: internalRows, n: dp, x: delta, ldx: dp, y: gb)
        gemm(
            m: n2, n: dp, k: internalRows, a: G, rowStride: 1, columnStride: xw, b: delta, ldb: dp,
            c: gWT, ldc: dp)
        gemm(
            m: n2, n: qw, k: internalRows, a: G, rowStride: 1, columnStride: xw, b: Q, ldb: qw,
            c: gVp, ldc: qw)
    }

    func clearGradients() {
        zero(n: n2 * qw, gVp); zero(n: n2 * dp, gWT); zero(n: dp, gb)
    }

    func exportGradient(into grad: UnsafeMutablePointer<T>) {
        guard let V = layout.tensor(named: "V") else { preconditionFailure("rntn without V") }
        let W = layout.W.offset, b = layout.b.offset
        for k in 0 ..< d {
            for i in 0 ..< n2 {
                for j in 0 ..< n2 { grad[V.offset + (k * n2 + i) * n2 + j] = gVp[i * qw + k * n2 + j] }
            }
        }
        for i in 0 ..< d {
            for j in 0 ..< n2 { grad[W + i * n2 + j] = gWT[j * dp + i] }
            grad[b + i] = gb[i]
        }
    }
}

/// y = alpha · x      x, y: [n] (y may start anywhere: unaligned stores)
@inlinable @inline(__always)
func scaledCopy<T: ModelScalar>(n: Int, alpha: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    let a = SIMD16(repeating: alpha)
    var c = 0
    while c < n {
        store(a * load(x, c), y, c)
        c += laneWidth
    }
}
