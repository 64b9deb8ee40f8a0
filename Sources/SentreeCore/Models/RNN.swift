import RealModule

/// The packed weights of rnn and rnn2 (dp, mp padded d and m):
///   WTx [2dp × dp]  W transposed, input rows padded like a gathered [h_l pad | h_r pad]
///   Wp  [d × 2dp]   W row-major, each half padded      b  [dp]
///   W2T [d × mp]    W2 transposed (rnn2)               W2p [m × dp]  W2 row-major (rnn2)   b2 [mp]
struct RNNWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let dp: Int, mp: Int, d: Int, m: Int

    struct Pointers {
        let WTx: UnsafePointer<T>, Wp: UnsafePointer<T>, b: UnsafePointer<T>
        let W2T: UnsafePointer<T>, W2p: UnsafePointer<T>, b2: UnsafePointer<T>
    }

    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        storage.withUnsafeBufferPointer { buf in
            var p = buf.baseAddress!
            func take(_ n: Int) -> UnsafePointer<T> { defer { p += n }; return p }
            return body(
                Pointers(
                    WTx: take(2 * dp * dp), Wp: take(d * 2 * dp), b: take(dp),
                    W2T: take(d * mp), W2p: take(m * dp), b2: take(mp)))
        }
    }
}

/// The recursive neural network and its deep variant (gradients.md; batched form in docs/models/RNN.md).
///
///     h = relu(W [h_left; h_right] + b)         h = L[word] at leaves
///     rnn2 only:  h2 = relu(W2 h + b2)          the softmax reads h (rnn) or h2 (rnn2)
///
/// Per worker, shapes (R rows, K leaves): H [R × dp] node vectors; G [(R−K) × 2dp] the
/// gathered children [h_l | h_r] of each internal row, kept for ∂W; H2, D2 [R × mp] (rnn2);
/// E [R × dp] error at each h; Δ [R × 2dp] errors a level sends its children.
/// Gradients: gWx [2dp × dp] (as WTx), gb [dp], gW2T [d × mp], gb2 [mp].
final class RNNModel<T: ModelScalar>: RegisteredModel {
    typealias Weights = RNNWeights<T>
    let layout: ParameterLayout
    let deep: Bool
    let d: Int, m: Int, dp: Int, mp: Int
    private var capacity = 0
    var H: UnsafeMutablePointer<T>, G: UnsafeMutablePointer<T>, H2: UnsafeMutablePointer<T>
    var D2: UnsafeMutablePointer<T>, ownE: UnsafeMutablePointer<T>, Delta: UnsafeMutablePointer<T>
    /// Error at each h: the engine's output error for rnn (h is the output), `ownE` for rnn2.
    var E: UnsafeMutablePointer<T>
    let gWx: UnsafeMutablePointer<T>, gb: UnsafeMutablePointer<T>
    let gW2T: UnsafeMutablePointer<T>, gb2: UnsafeMutablePointer<T>
    /// State dropout's masks on the children's h as W reads them (rnn2's second layer feeds
    /// no parent and is never masked).
    var stateMask: UnsafePointer<T>? = nil

    static func tensors(_ c: ModelConfig) -> [TensorSpec] {
        var list = [
            TensorSpec("W", [c.dim, 2 * c.dim], regularized: true),
            TensorSpec("b", [c.dim], regularized: false),
        ]
        if c.kind == .rnn2 {
            list += [
                TensorSpec("W2", [c.middle, c.dim], regularized: true),
                TensorSpec("b2", [c.middle], regularized: false),
            ]
        }
        return list
    }

    /// `W = ½[I I] + N(0, 1/(2d))·½`: a parent starts as the average of its children plus
    /// noise, so a 30-level tree neither explodes nor dies; `W2 ~ N(0, 2/d)` (He, fan-in d)
    /// for the second ReLU layer; biases 0 except `b2 = 0.01`, so no second-layer unit
    /// starts dead. (The course's `0.01·randn` makes the deep model's signal vanish.)
    static func initialize(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        let d = layout.config.dim, W = layout.W
        for i in W.range { p[i] = Float(g.normal() * (0.5 / Double.sqrt(Double(2 * d)))) }
        for i in 0 ..< d {
            p[W.offset + i * 2 * d + i] += 0.5
            p[W.offset + i * 2 * d + d + i] += 0.5
        }
        if let W2 = layout.W2, let b2 = layout.b2 {
            for i in W2.range { p[i] = Float(g.normal() * Double.sqrt(2 / Double(d))) }
            for i in b2.range { p[i] = 0.01 }
        }
    }

    /// Per internal node 3 products with W (forward, Wᵀδ, outer product); rnn2: per node 3 with W2.
    static func flops(_ c: ModelConfig, leaves: Int, internalNodes: Int) -> Double {
        let d = Double(c.dim)
        var flops = Double(internalNodes) * 3 * 2 * d * 2 * d
        if c.kind == .rnn2 { flops += Double(leaves + internalNodes) * 3 * 2 * Double(c.middle) * d }
        return flops
    }

    static var defaultDim: Int { 30 }

    @_specialize(where T == Float, U == Float)
    @_specialize(where T == Float, U == Double)
    static func engine<U: ModelScalar>(
        _: U.Type, layout: ParameterLayout, parameters: [U], threads: Int,
        capacity: Int, gradients: Bool
    ) -> ModelEngine<U> {
        ModelEngine(
            ShardedRunner<RNNModel<U>>(
                layout: layout, parameters: parameters, threads: threads,
                capacity: capacity, gradients: gradients))
    }

    static func pack(layout: ParameterLayout, parameters p: UnsafePointer<T>) -> RNNWeights<T> {
        let cfg = layout.config
        let d = cfg.dim, m = cfg.kind == .rnn2 ? cfg.middle : 0, dp = padded(d), mp = padded(m)
        var s = [T](repeating: 0, count: 2 * dp * dp + d * 2 * dp + dp + d * mp + m * dp + mp)
        let (WTx, Wp, b) = (0, 2 * dp * dp, 2 * dp * dp + d * 2 * dp)
        let (W2T, W2p) = (b + dp, b + dp + d * mp)
        let b2 = W2p + m * dp
        s.withUnsafeMutableBufferPointer { buffer in
            let s = buffer.baseAddress!, w = p + layout.W.offset
            // WTx: each half of W, transposed into its padded block of rows.
            transpose(rows: d, cols: d, from: w, stride: 2 * d, to: s + WTx, stride: dp)
            transpose(rows: d, cols: d, from: w + d, stride: 2 * d, to: s + WTx + dp * dp, stride: dp)
            for i in 0 ..< d {
                copyExact(n: d, w + i * 2 * d, s + Wp + i * 2 * dp)
                copyExact(n: d, w + i * 2 * d + d, s + Wp + i * 2 * dp + dp)
                s[b + i] = p[layout.b.offset + i]
            }
            if let W2 = layout.W2, let B2 = layout.b2 {
                transpose(rows: m, cols: d, from: p + W2.offset, stride: d, to: s + W2T, stride: mp)
                for k in 0 ..< m {
                    copyExact(n: d, p + W2.offset + k * d, s + W2p + k * dp)
                    s[b2 + k] = p[B2.offset + k]
                }
            }
        }
        return RNNWeights(storage: s, dp: dp, mp: mp, d: d, m: m)
    }

    init(layout: ParameterLayout, gradients: Bool) {
        self.layout = layout
        let cfg = layout.config
        deep = cfg.kind == .rnn2
        d = cfg.dim; m = deep ? cfg.middle : 0; dp = padded(d); mp = padded(m)
        let g = gradients ? 1 : 0
        gWx = zeroed(g * 2 * dp * dp); gb = zeroed(g * dp); gW2T = zeroed(g * d * mp); gb2 = zeroed(g * mp)
        H = zeroed(0); G = zeroed(0); H2 = zeroed(0); D2 = zeroed(0); ownE = zeroed(0); Delta = zeroed(0)
        E = ownE
    }

    deinit {
        for p in [H, G, H2, D2, ownE, Delta, gWx, gb, gW2T, gb2] { p.deallocate() }
    }

    func reserve(rows: Int) {
        guard rows > capacity else { return }
        for p in [H, G, H2, D2, ownE, Delta] { p.deallocate() }
        capacity = rows
        H = zeroed(rows * dp); G = zeroed(rows * 2 * dp); H2 = zeroed(rows * mp)
        D2 = zeroed(rows * mp); ownE = zeroed(rows * dp); Delta = zeroed(rows * 2 * dp)
        E = ownE
    }

    func forwardLeaves(_ s: LevelSchedule, x: UnsafePointer<T>, w: RNNWeights<T>) {
        copyVector(n: s.leafCount * dp, x, H)
    }

    /// G = [h_l | h_r] gathered;  H = relu(G · Wᵀ + b)
    func forwardLevel(_ h: Int, _ s: LevelSchedule, w: RNNWeights<T>) {
        let rows = s.level(h), n = rows.count
        let g = G + (rows.lowerBound - s.leafCount) * 2 * dp
        s.gatherChildren(of: rows, from: H, width: dp, into: g, mask: stateMask)
        let y = H + rows.lowerBound * dp
        w.withPointers { w in
            broadcastRows(m: n, n: dp, v: w.b, y: y, ldy: dp)
            gemm(
                m: n, n: dp, k: 2 * dp, a: g, rowStride: 2 * dp, columnStride: 1, b: w.WTx, ldb: dp, c: y,
                ldc: dp)
        }
        reluInPlace(n: n * dp, y)
    }

    /// rnn: H itself;  rnn2: H2 = relu(H · W2ᵀ + b2), all rows at once (it feeds no parent).
    func forwardOutputs(_ s: LevelSchedule, w: RNNWeights<T>) -> UnsafeMutablePointer<T> {
        guard deep else { return H }
        let R = s.rows
        w.withPointers { w in
            broadcastRows(m: R, n: mp, v: w.b2, y: H2, ldy: mp)
            gemm(m: R, n: mp, k: d, a: H, rowStride: dp, columnStride: 1, b: w.W2T, ldb: mp, c: H2, ldc: mp)
        }
        reluInPlace(n: R * mp, H2)
        return H2
    }

    /// rnn: the error at h is `e`.  rnn2: δ2 = e ∘ 1{h2 > 0}; ∂W2 += δ2 hᵀ; error at h = W2ᵀδ2
    /// (the correction in data-and-math-notes.md).
    func backwardOutputs(_ s: LevelSchedule, error e: UnsafeMutablePointer<T>, w: RNNWeights<T>) {
        guard deep else { E = e; return }
        let R = s.rows
        E = ownE
        maskByPositive(n: R * mp, e, H2)
        addColumnSums(m: R, n: mp, x: e, ldx: mp, y: gb2)
        zero(n: R * dp, E)
        w.withPointers { w in
            gemm(m: d, n: mp, k: R, a: H, rowStride: 1, columnStride: dp, b: e, ldb: mp, c: gW2T, ldc: mp)
            gemm(m: R, n: dp, k: m, a: e, rowStride: mp, columnStride: 1, b: w.W2p, ldb: dp, c: E, ldc: dp)
        }
    }

    /// δ = e ∘ 1{W[h_l; h_r] + b > 0};  ∂W += δ [h_l; h_r]ᵀ;  ∂b += δ;  children get Wᵀδ.
    func backwardLevel(_ h: Int, _ s: LevelSchedule, w: RNNWeights<T>) {
        let rows = s.level(h), n = rows.count
        let e = E + rows.lowerBound * dp
        let g = G + (rows.lowerBound - s.leafCount) * 2 * dp
        maskByPositive(n: n * dp, e, H + rows.lowerBound * dp)
        w.withPointers { w in
            s.backwardChildrenProduct(
                of: rows, delta: e, width: dp, used: d, children: g, weights: w.Wp,
                gradient: gWx, bias: gb, scratch: Delta, childWidth: dp, into: E, mask: stateMask)
        }
    }

    /// A leaf's h is its word vector: the error at it is the error at h.
    func backwardLeaves(
        _ s: LevelSchedule, x: UnsafePointer<T>, dx: UnsafeMutablePointer<T>, w: RNNWeights<T>
    ) {
        copyVector(n: s.leafCount * dp, E, dx)
    }

    func clearGradients() {
        zero(n: 2 * dp * dp, gWx); zero(n: dp, gb); zero(n: d * mp, gW2T); zero(n: mp, gb2)
    }

    func exportGradient(into grad: UnsafeMutablePointer<T>) {
        let W = layout.W.offset, b = layout.b.offset
        transpose(rows: d, cols: d, from: gWx, stride: dp, to: grad + W, stride: 2 * d)
        transpose(rows: d, cols: d, from: gWx + dp * dp, stride: dp, to: grad + W + d, stride: 2 * d)
        copyExact(n: d, gb, grad + b)
        if let W2 = layout.W2, let b2 = layout.b2 {
            transpose(rows: d, cols: m, from: gW2T, stride: mp, to: grad + W2.offset, stride: d)
            copyExact(n: m, gb2, grad + b2.offset)
        }
    }
}
