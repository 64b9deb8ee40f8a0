import RealModule

/// Which bias block (of `b_ifou`: i, f, o, u) each gate block of a leaf (i, o, u) and of an
/// internal node (i, f_l, f_r, o, u) adds; both forget gates share b_f.
private let leafBiasBlock = [0, 2, 3]
private let nodeBiasBlock = [0, 1, 1, 2, 3]

/// The packed weights of the Tree-LSTM (dp, xp: d and x padded; every gate block is dp wide):
///   WT [xp × 3dp]   W_iou transposed: column block g ∈ (i, o, u) holds gate g's weights
///   Wp [3dp × xp]   W_iou row-major, each gate's rows padded (the leaves' dx = δ·W)
///   UT [2dp × 5dp]  U_iffou transposed, input rows laid out like a gathered [h_l pad | h_r pad]
///   Up [5dp × 2dp]  U_iffou row-major, padded the same way (the children's dh = δ·U)
///   bLeaf [3dp] (b_i, b_o, b_u)      bNode [5dp] (b_i, b_f, b_f, b_o, b_u)
struct TreeLSTMWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let dp: Int, xp: Int

    struct Pointers {
        let WT: UnsafePointer<T>, Wp: UnsafePointer<T>, UT: UnsafePointer<T>, Up: UnsafePointer<T>
        let bLeaf: UnsafePointer<T>, bNode: UnsafePointer<T>
    }

    static func count(dp: Int, xp: Int) -> Int { 2 * 3 * dp * xp + 2 * 10 * dp * dp + 8 * dp }

    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        storage.withUnsafeBufferPointer { buf in
            var p = buf.baseAddress!
            func take(_ n: Int) -> UnsafePointer<T> { defer { p += n }; return p }
            return body(Pointers(WT: take(3 * xp * dp), Wp: take(3 * dp * xp), UT: take(10 * dp * dp),
                                 Up: take(10 * dp * dp), bLeaf: take(3 * dp), bNode: take(5 * dp)))
        }
    }
}

/// dst[j·dstStride + i] = src[i·srcStride + j] for i < rows, j < cols, in 16 × 16 tiles, so
/// reads and writes both move whole cache lines (packing and exporting run every minibatch).
private func transpose<T>(rows: Int, cols: Int, from src: UnsafePointer<T>, stride srcStride: Int,
                          to dst: UnsafeMutablePointer<T>, stride dstStride: Int) {
    for i0 in stride(from: 0, to: rows, by: 16) {
        for j0 in stride(from: 0, to: cols, by: 16) {
            for j in j0 ..< min(j0 + 16, cols) {
                for i in i0 ..< min(i0 + 16, rows) { dst[j * dstStride + i] = src[i * srcStride + j] }
            }
        }
    }
}

private extension ParameterLayout {
    var lstmInput: Tensor { tensor(named: "W_iou")! }
    var lstmChildren: Tensor { tensor(named: "U_iffou")! }
    var lstmBias: Tensor { tensor(named: "b_ifou")! }
}

/// The binary constituency Tree-LSTM (Tai, Socher, Manning 2015; N-ary with N = 2).
///
///     leaf:      [i; o; u] = [σ; σ; tanh](W_iou x + [b_i; b_o; b_u]),   c = i ⊙ u
///     internal:  [i; f_l; f_r; o; u] = [σ; σ; σ; σ; tanh](U_iffou [h_l; h_r]
///                                                          + [b_i; b_f; b_f; b_o; b_u])
///                c = i ⊙ u + f_l ⊙ c_l + f_r ⊙ c_r
///     both:      h = o ⊙ tanh(c); the softmax reads h
///
/// Tensors: `W_iou` [3d × x] (row blocks i, o, u), `U_iffou` [5d × 2d] (row blocks i, f_l,
/// f_r, o, u; column blocks h_l, h_r), `b_ifou` [4d] (i, f, o, u) shared by leaves and
/// internal nodes as in the paper's N-ary equations. L2 applies to `W_iou` and `U_iffou`.
/// Backward derivation: TreeLSTM.md.
///
/// Per worker, shapes (R rows, K leaves, n rows of a level): A gate activations, leaf k at
/// `A + k·3dp` [3dp] and internal row r at `A + K·3dp + (r − K)·5dp` [5dp]; DA the errors at
/// the gate pre-activations, laid out like A; Cm, TC, H [R × dp] c, tanh c, h; DC [R × dp]
/// error at c; G [(R−K) × 2dp] the gathered children [h_l | h_r] of each internal row, kept
/// for ∂U; DG [n × 2dp] the errors a level sends its children's h.
/// Gradients: gWT [xp × 3dp] (as WT), gUT [2dp × 5dp] (as UT), gbLeaf [3dp], gbNode [5dp].
final class TreeLSTMModel<T: ModelScalar>: LevelModel {
    typealias Weights = TreeLSTMWeights<T>
    let layout: ParameterLayout
    let d: Int, x: Int, dp: Int, xp: Int
    private var capacity = 0
    var A: UnsafeMutablePointer<T>, DA: UnsafeMutablePointer<T>, Cm: UnsafeMutablePointer<T>
    var TC: UnsafeMutablePointer<T>, H: UnsafeMutablePointer<T>, DC: UnsafeMutablePointer<T>
    var G: UnsafeMutablePointer<T>, DG: UnsafeMutablePointer<T>
    /// Error at each h: the engine's output error, to which parents add what they send down.
    var E: UnsafeMutablePointer<T>
    let gWT: UnsafeMutablePointer<T>, gUT: UnsafeMutablePointer<T>
    let gbLeaf: UnsafeMutablePointer<T>, gbNode: UnsafeMutablePointer<T>

    static func tensors(_ c: ModelConfig) -> [TensorSpec] {
        [TensorSpec("W_iou", [3 * c.dim, c.inputWidth], regularized: true),
         TensorSpec("U_iffou", [5 * c.dim, 2 * c.dim], regularized: true),
         TensorSpec("b_ifou", [4 * c.dim], regularized: false)]
    }

    /// Weights N(0, 1/fan-in) (x for `W_iou`, 2d for `U_iffou`), so every pre-activation
    /// starts with the variance of one input; biases 0 except b_f = 1, so a parent starts out
    /// keeping most of its children's memory and errors reach the leaves (Gers et al. 2000).
    static func initialize(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        let d = layout.config.dim, x = layout.config.inputWidth
        for i in layout.lstmInput.range { p[i] = Float(g.normal() / Double.sqrt(Double(x))) }
        for i in layout.lstmChildren.range { p[i] = Float(g.normal() / Double.sqrt(Double(2 * d))) }
        for i in layout.lstmBias.range { p[i] = 0 }
        for i in 0 ..< d { p[layout.lstmBias.offset + d + i] = 1 }
    }

    /// Per leaf 3 products with W_iou [3d × x] (forward, ∂W, dx); per internal node 3 with
    /// U_iffou [5d × 2d] (forward, ∂U, children's dh).
    static func flops(_ c: ModelConfig, leaves: Int, internalNodes: Int) -> Double {
        let d = Double(c.dim), x = Double(c.inputWidth)
        return Double(leaves) * 3 * 2 * 3 * d * x + Double(internalNodes) * 3 * 2 * 5 * d * 2 * d
    }

    static var defaultDim: Int { 150 }
    static var defaultInputDim: Int? { 300 }

    static func pack(layout: ParameterLayout, parameters p: UnsafePointer<T>) -> TreeLSTMWeights<T> {
        let cfg = layout.config
        let d = cfg.dim, x = cfg.inputWidth, dp = padded(d), xp = padded(x)
        var storage = [T](repeating: 0, count: TreeLSTMWeights<T>.count(dp: dp, xp: xp))
        let w = p + layout.lstmInput.offset, u = p + layout.lstmChildren.offset
        let b = p + layout.lstmBias.offset
        storage.withUnsafeMutableBufferPointer { buf in
            let WT = buf.baseAddress!, Wp = WT + 3 * xp * dp, UT = Wp + 3 * dp * xp, Up = UT + 10 * dp * dp
            let bLeaf = Up + 10 * dp * dp, bNode = bLeaf + 3 * dp
            for g in 0 ..< 3 {
                transpose(rows: d, cols: x, from: w + g * d * x, stride: x, to: WT + g * dp, stride: 3 * dp)
                for i in 0 ..< d {
                    (Wp + (g * dp + i) * xp).update(from: w + (g * d + i) * x, count: x)
                    bLeaf[g * dp + i] = b[leafBiasBlock[g] * d + i]
                }
            }
            for g in 0 ..< 5 {
                for side in 0 ..< 2 {
                    transpose(rows: d, cols: d, from: u + g * d * 2 * d + side * d, stride: 2 * d,
                              to: UT + side * dp * 5 * dp + g * dp, stride: 5 * dp)
                }
                for i in 0 ..< d {
                    (Up + (g * dp + i) * 2 * dp).update(from: u + (g * d + i) * 2 * d, count: d)
                    (Up + (g * dp + i) * 2 * dp + dp).update(from: u + (g * d + i) * 2 * d + d, count: d)
                    bNode[g * dp + i] = b[nodeBiasBlock[g] * d + i]
                }
            }
        }
        return TreeLSTMWeights(storage: storage, dp: dp, xp: xp)
    }

    init(layout: ParameterLayout, gradients: Bool) {
        self.layout = layout
        let cfg = layout.config
        d = cfg.dim; x = cfg.inputWidth; dp = padded(d); xp = padded(x)
        let g = gradients ? 1 : 0
        gWT = zeroed(g * xp * 3 * dp); gUT = zeroed(g * 10 * dp * dp)
        gbLeaf = zeroed(g * 3 * dp); gbNode = zeroed(g * 5 * dp)
        A = zeroed(0); DA = zeroed(0); Cm = zeroed(0); TC = zeroed(0); H = zeroed(0); DC = zeroed(0)
        G = zeroed(0); DG = zeroed(0)
        E = DC
    }

    deinit {
        for p in [A, DA, Cm, TC, H, DC, G, DG, gWT, gUT, gbLeaf, gbNode] { p.deallocate() }
    }

    func reserve(rows: Int) {
        guard rows > capacity else { return }
        for p in [A, DA, Cm, TC, H, DC, G, DG] { p.deallocate() }
        capacity = rows
        A = zeroed(rows * 5 * dp); DA = zeroed(rows * 5 * dp)
        Cm = zeroed(rows * dp); TC = zeroed(rows * dp); H = zeroed(rows * dp); DC = zeroed(rows * dp)
        G = zeroed(rows * 2 * dp); DG = zeroed(rows * 2 * dp)
        E = DC
    }

    /// Offset of internal row `row`'s gate block in A and DA.
    @inline(__always) private func nodeGates(_ row: Int, leaves K: Int) -> Int {
        K * 3 * dp + (row - K) * 5 * dp
    }

    /// A = [i | o | u] pre-activations X·W_iouᵀ + b in one product; then c, tanh c, h per leaf.
    func forwardLeaves(_ s: LevelSchedule, x X: UnsafePointer<T>, w: TreeLSTMWeights<T>) {
        let K = s.leafCount, ld = 3 * dp
        w.withPointers { w in
            broadcastRows(m: K, n: ld, v: w.bLeaf, y: A, ldy: ld)
            gemm(m: K, n: ld, k: x, a: X, rowStride: xp, columnStride: 1, b: w.WT, ldb: ld, c: A, ldc: ld)
        }
        for k in 0 ..< K {
            let a = A + k * ld, row = k * dp
            var j = 0
            while j < dp {
                let i = sigmoidChunk(load(a, j)), o = sigmoidChunk(load(a, dp + j))
                let u = tanhChunk(load(a, 2 * dp + j))
                let c = i * u, tc = tanhChunk(c)
                store(i, a, j); store(o, a, dp + j); store(u, a, 2 * dp + j)
                store(c, Cm, row + j); store(tc, TC, row + j); store(o * tc, H, row + j)
                j += laneWidth
            }
        }
    }

    /// G = [h_l | h_r] gathered; A = [i | f_l | f_r | o | u] pre-activations G·U_iffouᵀ + b in
    /// one product; then c, tanh c, h per row.
    func forwardLevel(_ h: Int, _ s: LevelSchedule, w: TreeLSTMWeights<T>) {
        let rows = s.level(h), n = rows.count, K = s.leafCount, ld = 5 * dp
        let g = G + (rows.lowerBound - K) * 2 * dp
        s.gatherChildren(of: rows, from: H, width: dp, into: g)
        let a0 = A + nodeGates(rows.lowerBound, leaves: K)
        w.withPointers { w in
            broadcastRows(m: n, n: ld, v: w.bNode, y: a0, ldy: ld)
            gemm(m: n, n: ld, k: 2 * dp, a: g, rowStride: 2 * dp, columnStride: 1, b: w.UT, ldb: ld,
                 c: a0, ldc: ld)
        }
        for (k, row) in rows.enumerated() {
            let a = a0 + k * ld, l = Int(s.leftRow[row]) * dp, r = Int(s.rightRow[row]) * dp, p = row * dp
            var j = 0
            while j < dp {
                let i = sigmoidChunk(load(a, j)), fl = sigmoidChunk(load(a, dp + j))
                let fr = sigmoidChunk(load(a, 2 * dp + j)), o = sigmoidChunk(load(a, 3 * dp + j))
                let u = tanhChunk(load(a, 4 * dp + j))
                let c = (i * u).addingProduct(fl, load(Cm, l + j)).addingProduct(fr, load(Cm, r + j))
                let tc = tanhChunk(c)
                store(i, a, j); store(fl, a, dp + j); store(fr, a, 2 * dp + j); store(o, a, 3 * dp + j)
                store(u, a, 4 * dp + j)
                store(c, Cm, p + j); store(tc, TC, p + j); store(o * tc, H, p + j)
                j += laneWidth
            }
        }
    }

    func forwardOutputs(_ s: LevelSchedule, w: TreeLSTMWeights<T>) -> UnsafeMutablePointer<T> { H }

    /// The error at h is `e`; the error at c starts at 0 and collects the parents' forget paths.
    func backwardOutputs(_ s: LevelSchedule, error e: UnsafeMutablePointer<T>, w: TreeLSTMWeights<T>) {
        E = e
        zero(n: s.rows * dp, DC)
    }

    /// Per row: dc = DC + dh ⊙ o ⊙ (1 − tanh²c), then the gate errors (TreeLSTM.md); children
    /// get dc ⊙ f at their c. Then ∂U += Gᵀ·DA, ∂b += Σ DA, and the children's dh = DA·U_iffou.
    func backwardLevel(_ h: Int, _ s: LevelSchedule, w: TreeLSTMWeights<T>) {
        let rows = s.level(h), K = s.leafCount, ld = 5 * dp
        let g = G + (rows.lowerBound - K) * 2 * dp
        let a0 = A + nodeGates(rows.lowerBound, leaves: K), da0 = DA + nodeGates(rows.lowerBound, leaves: K)
        let one = SIMD16<T>(repeating: 1)
        for (k, row) in rows.enumerated() {
            let a = a0 + k * ld, da = da0 + k * ld
            let l = Int(s.leftRow[row]) * dp, r = Int(s.rightRow[row]) * dp, p = row * dp
            var j = 0
            while j < dp {
                let i = load(a, j), fl = load(a, dp + j), fr = load(a, 2 * dp + j)
                let o = load(a, 3 * dp + j), u = load(a, 4 * dp + j)
                let tc = load(TC, p + j), dh = load(E, p + j)
                let dc = load(DC, p + j) + dh * o * (one - tc * tc)
                store(dc * u * i * (one - i), da, j)
                store(dc * load(Cm, l + j) * fl * (one - fl), da, dp + j)
                store(dc * load(Cm, r + j) * fr * (one - fr), da, 2 * dp + j)
                store(dh * tc * o * (one - o), da, 3 * dp + j)
                store(dc * i * (one - u * u), da, 4 * dp + j)
                store(load(DC, l + j).addingProduct(dc, fl), DC, l + j)
                store(load(DC, r + j).addingProduct(dc, fr), DC, r + j)
                j += laneWidth
            }
        }
        w.withPointers { w in
            s.backwardChildrenProduct(of: rows, delta: da0, width: ld, used: ld, children: g, weights: w.Up,
                                      gradient: gUT, bias: gbNode, scratch: DG, childWidth: dp, into: E)
        }
    }

    /// Per leaf: dc and the errors at i, o, u as for internal rows (no forget gates, no
    /// children); then ∂W += Xᵀ·DA, ∂b += Σ DA, and dx = DA·W_iou for the engine to scatter.
    func backwardLeaves(_ s: LevelSchedule, x X: UnsafePointer<T>, dx: UnsafeMutablePointer<T>,
                        w: TreeLSTMWeights<T>) {
        let K = s.leafCount, ld = 3 * dp
        let one = SIMD16<T>(repeating: 1)
        for k in 0 ..< K {
            let a = A + k * ld, da = DA + k * ld, p = k * dp
            var j = 0
            while j < dp {
                let i = load(a, j), o = load(a, dp + j), u = load(a, 2 * dp + j)
                let tc = load(TC, p + j), dh = load(E, p + j)
                let dc = load(DC, p + j) + dh * o * (one - tc * tc)
                store(dc * u * i * (one - i), da, j)
                store(dh * tc * o * (one - o), da, dp + j)
                store(dc * i * (one - u * u), da, 2 * dp + j)
                j += laneWidth
            }
        }
        addColumnSums(m: K, n: ld, x: DA, ldx: ld, y: gbLeaf)
        w.withPointers { w in
            gemm(m: x, n: ld, k: K, a: X, rowStride: 1, columnStride: xp, b: DA, ldb: ld, c: gWT, ldc: ld)
            gemm(m: K, n: xp, k: ld, a: DA, rowStride: ld, columnStride: 1, b: w.Wp, ldb: xp, c: dx, ldc: xp)
        }
    }

    func clearGradients() {
        zero(n: xp * 3 * dp, gWT); zero(n: 10 * dp * dp, gUT)
        zero(n: 3 * dp, gbLeaf); zero(n: 5 * dp, gbNode)
    }

    func exportGradient(into grad: UnsafeMutablePointer<T>) {
        let w = grad + layout.lstmInput.offset, u = grad + layout.lstmChildren.offset
        let b = grad + layout.lstmBias.offset
        for i in 0 ..< 4 * d { b[i] = 0 }
        for g in 0 ..< 3 {
            transpose(rows: x, cols: d, from: gWT + g * dp, stride: 3 * dp, to: w + g * d * x, stride: x)
            for i in 0 ..< d { b[leafBiasBlock[g] * d + i] += gbLeaf[g * dp + i] }
        }
        for g in 0 ..< 5 {
            for side in 0 ..< 2 {
                transpose(rows: d, cols: d, from: gUT + side * dp * 5 * dp + g * dp, stride: 5 * dp,
                          to: u + g * d * 2 * d + side * d, stride: 2 * d)
            }
            for i in 0 ..< d { b[nodeBiasBlock[g] * d + i] += gbNode[g * dp + i] }
        }
    }
}
