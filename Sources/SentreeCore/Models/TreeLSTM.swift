import RealModule

/// Which bias block (of `b_ifou`: i, f, o, u) each gate block of a leaf (i, o, u) and of an
/// internal node (i, f_l, f_r, o, u) adds; both forget gates share b_f.
private let leafBiasBlock = [0, 2, 3]
private let nodeBiasBlock = [0, 1, 1, 2, 3]

/// Widths of the Tree-LSTM's packed blocks. Gates sit side by side, d apart, and only a
/// block's end is padded: padding each gate to 16 lanes cost 14% more arithmetic at d=150.
///   l3 = padded(3d): a leaf's gates [i | o | u]      l5 = padded(5d): [i | f_l | f_r | o | u]
///   gs = padded(2d): a gathered [h_l | h_r]          xp = padded(x), dp = padded(d)
struct TreeLSTMShape: Sendable {
    let d: Int, x: Int, dp: Int, xp: Int, l3: Int, l5: Int, gs: Int
    init(d: Int, x: Int) {
        self.d = d; self.x = x; dp = padded(d); xp = padded(x)
        l3 = padded(3 * d); l5 = padded(5 * d); gs = padded(2 * d)
    }
}

/// The packed weights of the Tree-LSTM (widths: `TreeLSTMShape`):
///   WT [xp × l3]   W_iou transposed: gate g ∈ (i, o, u) in columns g·d ..< (g+1)·d
///   Wp [3d × xp]   W_iou row-major (the leaves' dx = δ·W)
///   UT [2d × l5]   U_iffou transposed, input rows [h_l | h_r]
///   Up [5d × gs]   U_iffou row-major (the children's dh = δ·U)
///   bLeaf [l3] (b_i, b_o, b_u)      bNode [l5] (b_i, b_f, b_f, b_o, b_u)
struct TreeLSTMWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let shape: TreeLSTMShape

    struct Pointers {
        let WT: UnsafePointer<T>, Wp: UnsafePointer<T>, UT: UnsafePointer<T>, Up: UnsafePointer<T>
        let bLeaf: UnsafePointer<T>, bNode: UnsafePointer<T>
    }

    static func count(_ s: TreeLSTMShape) -> Int {
        s.xp * s.l3 + 3 * s.d * s.xp + 2 * s.d * s.l5 + 5 * s.d * s.gs + s.l3 + s.l5
    }

    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        let s = shape
        return storage.withUnsafeBufferPointer { buf in
            var p = buf.baseAddress!
            func take(_ n: Int) -> UnsafePointer<T> { defer { p += n }; return p }
            return body(
                Pointers(
                    WT: take(s.xp * s.l3), Wp: take(3 * s.d * s.xp), UT: take(2 * s.d * s.l5),
                    Up: take(5 * s.d * s.gs), bLeaf: take(s.l3), bNode: take(s.l5)))
        }
    }
}

/// The lanes of one chunk of a gate that belong to it: 16, or fewer at the gate's end, where
/// a full store would overwrite the next gate.
private struct Lanes {
    let count: Int
    @inline(__always) func store<T: ModelScalar>(_ v: SIMD16<T>, _ p: UnsafeMutablePointer<T>, _ i: Int) {
        if count == laneWidth { SentreeCore.store(v, p, i) } else { for l in 0 ..< count { p[i + l] = v[l] } }
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
/// Backward derivation: docs/models/TreeLSTM.md.
///
/// Per worker, shapes (R rows, K leaves, n rows of a level; widths: `TreeLSTMShape`): A gate
/// activations, leaf k at `A + k·l3` [l3] and internal row r at `A + K·l3 + (r − K)·l5` [l5];
/// DA the errors at the gate pre-activations, laid out like A; Cm, TC, H [R × dp] c, tanh c,
/// h; DC [R × dp] error at c; G [(R−K) × gs] the gathered children [h_l | h_r] of each
/// internal row, kept for ∂U; DG [n × gs] the errors a level sends its children's h.
/// Gradients: gWT [xp × l3] (as WT), gUT [2d × l5] (as UT), gbLeaf [l3], gbNode [l5].
/// Gate loops run over d in chunks of 16; a chunk's lanes past its gate are read (buffers
/// have 16 lanes of slack) but never stored.
final class TreeLSTMModel<T: ModelScalar>: RegisteredModel {
    typealias Weights = TreeLSTMWeights<T>
    let layout: ParameterLayout
    let d: Int, x: Int, dp: Int, xp: Int
    let shape: TreeLSTMShape
    private var capacity = 0
    var A: UnsafeMutablePointer<T>, DA: UnsafeMutablePointer<T>, Cm: UnsafeMutablePointer<T>
    var TC: UnsafeMutablePointer<T>, H: UnsafeMutablePointer<T>, DC: UnsafeMutablePointer<T>
    var G: UnsafeMutablePointer<T>, DG: UnsafeMutablePointer<T>
    /// Error at each h: the engine's output error, to which parents add what they send down.
    var E: UnsafeMutablePointer<T>
    let gWT: UnsafeMutablePointer<T>, gUT: UnsafeMutablePointer<T>
    let gbLeaf: UnsafeMutablePointer<T>, gbNode: UnsafeMutablePointer<T>
    /// State dropout's masks on h as the parent's gates read it (the memory c is never
    /// masked, as in TensorFlow Fold's recipe, which drops the recurrent state h).
    var stateMask: UnsafePointer<T>? = nil

    static func tensors(_ c: ModelConfig) -> [TensorSpec] {
        [
            TensorSpec("W_iou", [3 * c.dim, c.inputWidth], regularized: true),
            TensorSpec("U_iffou", [5 * c.dim, 2 * c.dim], regularized: true),
            TensorSpec("b_ifou", [4 * c.dim], regularized: false),
        ]
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

    static var gradientCheckStep: Double { 1e-3 }

    /// The paper's rate and L2 (RESULTS.md, "RNTN and Tree-LSTM sweep on dev": better on every
    /// seed than lr 0.02, λ 1e-3) with the recipe's dropout on the leaf input and the children's
    /// states, dev scored every quarter epoch and a stop after 12 evaluations (3 epochs) without
    /// a gain: RESULTS.md, "The Tree-LSTM recipe's dropout pieces" and "Recipe sweep" (GloVe
    /// 50d, dev, seeds 1–3; the classifier's dropout did not help).
    static var recommended: RecommendedSettings {
        RecommendedSettings(
            learningRate: 0.05, l2: 1e-4, leafDropout: 0.25, stateDropout: 0.25,
            devEveryEpochFraction: 0.25, patience: 12)
    }

    @_specialize(where T == Float, U == Float)
    @_specialize(where T == Float, U == Double)
    static func engine<U: ModelScalar>(
        _: U.Type, layout: ParameterLayout, parameters: [U], threads: Int,
        capacity: Int, gradients: Bool
    ) -> ModelEngine<U> {
        ModelEngine(
            ShardedRunner<TreeLSTMModel<U>>(
                layout: layout, parameters: parameters, threads: threads,
                capacity: capacity, gradients: gradients))
    }

    static func pack(layout: ParameterLayout, parameters p: UnsafePointer<T>) -> TreeLSTMWeights<T> {
        let cfg = layout.config
        let s = TreeLSTMShape(d: cfg.dim, x: cfg.inputWidth), d = s.d, x = s.x, xp = s.xp
        var storage = [T](repeating: 0, count: TreeLSTMWeights<T>.count(s))
        let w = p + layout.lstmInput.offset, u = p + layout.lstmChildren.offset
        let b = p + layout.lstmBias.offset
        storage.withUnsafeMutableBufferPointer { buf in
            let WT = buf.baseAddress!, Wp = WT + xp * s.l3, UT = Wp + 3 * d * xp, Up = UT + 2 * d * s.l5
            let bLeaf = Up + 5 * d * s.gs, bNode = bLeaf + s.l3
            for g in 0 ..< 3 {
                transpose(rows: d, cols: x, from: w + g * d * x, stride: x, to: WT + g * d, stride: s.l3)
                for i in 0 ..< d {
                    (Wp + (g * d + i) * xp).update(from: w + (g * d + i) * x, count: x)
                    bLeaf[g * d + i] = b[leafBiasBlock[g] * d + i]
                }
            }
            for g in 0 ..< 5 {
                for side in 0 ..< 2 {
                    transpose(
                        rows: d, cols: d, from: u + g * d * 2 * d + side * d, stride: 2 * d,
                        to: UT + side * d * s.l5 + g * d, stride: s.l5)
                }
                for i in 0 ..< d {
                    (Up + (g * d + i) * s.gs).update(from: u + (g * d + i) * 2 * d, count: 2 * d)
                    bNode[g * d + i] = b[nodeBiasBlock[g] * d + i]
                }
            }
        }
        return TreeLSTMWeights(storage: storage, shape: s)
    }

    init(layout: ParameterLayout, gradients: Bool) {
        self.layout = layout
        let cfg = layout.config
        shape = TreeLSTMShape(d: cfg.dim, x: cfg.inputWidth)
        d = shape.d; x = shape.x; dp = shape.dp; xp = shape.xp
        let g = gradients ? 1 : 0
        gWT = zeroed(g * xp * shape.l3); gUT = zeroed(g * 2 * d * shape.l5)
        gbLeaf = zeroed(g * shape.l3); gbNode = zeroed(g * shape.l5)
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
        let slack = laneWidth
        A = zeroed(rows * shape.l5 + slack); DA = zeroed(rows * shape.l5 + slack)
        Cm = zeroed(rows * dp); TC = zeroed(rows * dp); H = zeroed(rows * dp); DC = zeroed(rows * dp)
        G = zeroed(rows * shape.gs); DG = zeroed(rows * shape.gs)
        E = DC
    }

    /// Offset of internal row `row`'s gate block in A and DA.
    @inline(__always) private func nodeGates(_ row: Int, leaves K: Int) -> Int {
        K * shape.l3 + (row - K) * shape.l5
    }

    /// A = [i | o | u] pre-activations X·W_iouᵀ + b in one product; then c, tanh c, h per leaf.
    func forwardLeaves(_ s: LevelSchedule, x X: UnsafePointer<T>, w: TreeLSTMWeights<T>) {
        let K = s.leafCount, ld = shape.l3, d = self.d
        w.withPointers { w in
            broadcastRows(m: K, n: ld, v: w.bLeaf, y: A, ldy: ld)
            gemm(m: K, n: ld, k: x, a: X, rowStride: xp, columnStride: 1, b: w.WT, ldb: ld, c: A, ldc: ld)
        }
        for k in 0 ..< K {
            let a = A + k * ld, row = k * dp
            var j = 0
            while j < d {
                let lanes = Lanes(count: min(laneWidth, d - j))
                let i = sigmoidChunk(load(a, j)), o = sigmoidChunk(load(a, d + j))
                let u = tanhChunk(load(a, 2 * d + j))
                let c = i * u, tc = tanhChunk(c)
                lanes.store(i, a, j); lanes.store(o, a, d + j); lanes.store(u, a, 2 * d + j)
                lanes.store(c, Cm, row + j); lanes.store(tc, TC, row + j); lanes.store(o * tc, H, row + j)
                j += laneWidth
            }
        }
    }

    /// G = [h_l | h_r] gathered; A = [i | f_l | f_r | o | u] pre-activations G·U_iffouᵀ + b in
    /// one product; then c, tanh c, h per row.
    func forwardLevel(_ h: Int, _ s: LevelSchedule, w: TreeLSTMWeights<T>) {
        let rows = s.level(h), n = rows.count, K = s.leafCount, ld = shape.l5, gs = shape.gs, d = self.d
        let g = G + (rows.lowerBound - K) * gs
        for (k, row) in rows.enumerated() {
            copyExact(n: d, H + Int(s.leftRow[row]) * dp, g + k * gs)
            copyExact(n: d, H + Int(s.rightRow[row]) * dp, g + k * gs + d)
        }
        if let m = stateMask { multiplyByChildMasks(rows, s, m, g) }
        let a0 = A + nodeGates(rows.lowerBound, leaves: K)
        w.withPointers { w in
            broadcastRows(m: n, n: ld, v: w.bNode, y: a0, ldy: ld)
            gemm(
                m: n, n: ld, k: 2 * d, a: g, rowStride: gs, columnStride: 1, b: w.UT, ldb: ld, c: a0, ldc: ld)
        }
        for (k, row) in rows.enumerated() {
            let a = a0 + k * ld, l = Int(s.leftRow[row]) * dp, r = Int(s.rightRow[row]) * dp, p = row * dp
            var j = 0
            while j < d {
                let lanes = Lanes(count: min(laneWidth, d - j))
                let i = sigmoidChunk(load(a, j)), fl = sigmoidChunk(load(a, d + j))
                let fr = sigmoidChunk(load(a, 2 * d + j)), o = sigmoidChunk(load(a, 3 * d + j))
                let u = tanhChunk(load(a, 4 * d + j))
                let c = (i * u).addingProduct(fl, load(Cm, l + j)).addingProduct(fr, load(Cm, r + j))
                let tc = tanhChunk(c)
                lanes.store(i, a, j); lanes.store(fl, a, d + j); lanes.store(fr, a, 2 * d + j)
                lanes.store(o, a, 3 * d + j); lanes.store(u, a, 4 * d + j)
                lanes.store(c, Cm, p + j); lanes.store(tc, TC, p + j); lanes.store(o * tc, H, p + j)
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
        let rows = s.level(h), n = rows.count, K = s.leafCount, ld = shape.l5, gs = shape.gs, d = self.d
        let g = G + (rows.lowerBound - K) * gs
        let a0 = A + nodeGates(rows.lowerBound, leaves: K), da0 = DA + nodeGates(rows.lowerBound, leaves: K)
        let one = SIMD16<T>(repeating: 1)
        for (k, row) in rows.enumerated() {
            let a = a0 + k * ld, da = da0 + k * ld
            let l = Int(s.leftRow[row]) * dp, r = Int(s.rightRow[row]) * dp, p = row * dp
            var j = 0
            while j < d {
                let lanes = Lanes(count: min(laneWidth, d - j))
                let i = load(a, j), fl = load(a, d + j), fr = load(a, 2 * d + j)
                let o = load(a, 3 * d + j), u = load(a, 4 * d + j)
                let tc = load(TC, p + j), dh = load(E, p + j)
                let dc = load(DC, p + j) + dh * o * (one - tc * tc)
                lanes.store(dc * u * i * (one - i), da, j)
                lanes.store(dc * load(Cm, l + j) * fl * (one - fl), da, d + j)
                lanes.store(dc * load(Cm, r + j) * fr * (one - fr), da, 2 * d + j)
                lanes.store(dh * tc * o * (one - o), da, 3 * d + j)
                lanes.store(dc * i * (one - u * u), da, 4 * d + j)
                lanes.store(load(DC, l + j).addingProduct(dc, fl), DC, l + j)
                lanes.store(load(DC, r + j).addingProduct(dc, fr), DC, r + j)
                j += laneWidth
            }
        }
        // ∂b += Σ δ, ∂Uᵀ += Gᵀ·δ, and the children's dh = δ·U, split into h_l's and h_r's.
        addColumnSums(m: n, n: ld, x: da0, ldx: ld, y: gbNode)
        gemm(m: 2 * d, n: ld, k: n, a: g, rowStride: 1, columnStride: gs, b: da0, ldb: ld, c: gUT, ldc: ld)
        zero(n: n * gs, DG)
        w.withPointers { w in
            gemm(
                m: n, n: gs, k: 5 * d, a: da0, rowStride: ld, columnStride: 1, b: w.Up, ldb: gs, c: DG,
                ldc: gs)
        }
        // Under state dropout the gates read h̃ = h ⊙ m: the child's dh = m ⊙ (δ·U).
        if let m = stateMask { multiplyByChildMasks(rows, s, m, DG) }
        for (k, row) in rows.enumerated() {
            addExact(n: d, DG + k * gs, E + Int(s.leftRow[row]) * dp)
            addExact(n: d, DG + k * gs + d, E + Int(s.rightRow[row]) * dp)
        }
    }

    /// Per leaf: dc and the errors at i, o, u as for internal rows (no forget gates, no
    /// children); then ∂W += Xᵀ·DA, ∂b += Σ DA, and dx = DA·W_iou for the engine to scatter.
    func backwardLeaves(
        _ s: LevelSchedule, x X: UnsafePointer<T>, dx: UnsafeMutablePointer<T>,
        w: TreeLSTMWeights<T>
    ) {
        let K = s.leafCount, ld = shape.l3, d = self.d
        let one = SIMD16<T>(repeating: 1)
        for k in 0 ..< K {
            let a = A + k * ld, da = DA + k * ld, p = k * dp
            var j = 0
            while j < d {
                let lanes = Lanes(count: min(laneWidth, d - j))
                let i = load(a, j), o = load(a, d + j), u = load(a, 2 * d + j)
                let tc = load(TC, p + j), dh = load(E, p + j)
                let dc = load(DC, p + j) + dh * o * (one - tc * tc)
                lanes.store(dc * u * i * (one - i), da, j)
                lanes.store(dh * tc * o * (one - o), da, d + j)
                lanes.store(dc * i * (one - u * u), da, 2 * d + j)
                j += laneWidth
            }
        }
        addColumnSums(m: K, n: ld, x: DA, ldx: ld, y: gbLeaf)
        w.withPointers { w in
            gemm(m: x, n: ld, k: K, a: X, rowStride: 1, columnStride: xp, b: DA, ldb: ld, c: gWT, ldc: ld)
            gemm(
                m: K, n: xp, k: 3 * d, a: DA, rowStride: ld, columnStride: 1, b: w.Wp, ldb: xp, c: dx, ldc: xp
            )
        }
    }

    /// Multiplies each row's [left | right] halves of `v` [n × gs] by its children's state masks.
    private func multiplyByChildMasks(
        _ rows: Range<Int>, _ s: LevelSchedule, _ m: UnsafePointer<T>, _ v: UnsafeMutablePointer<T>
    ) {
        let gs = shape.gs
        for (k, row) in rows.enumerated() {
            multiplyExact(n: d, m + Int(s.leftRow[row]) * dp, v + k * gs)
            multiplyExact(n: d, m + Int(s.rightRow[row]) * dp, v + k * gs + d)
        }
    }

    func clearGradients() {
        zero(n: xp * shape.l3, gWT); zero(n: 2 * d * shape.l5, gUT)
        zero(n: shape.l3, gbLeaf); zero(n: shape.l5, gbNode)
    }

    func exportGradient(into grad: UnsafeMutablePointer<T>) {
        let w = grad + layout.lstmInput.offset, u = grad + layout.lstmChildren.offset
        let b = grad + layout.lstmBias.offset
        for i in 0 ..< 4 * d { b[i] = 0 }
        let l3 = shape.l3, l5 = shape.l5
        for g in 0 ..< 3 {
            transpose(rows: x, cols: d, from: gWT + g * d, stride: l3, to: w + g * d * x, stride: x)
            for i in 0 ..< d { b[leafBiasBlock[g] * d + i] += gbLeaf[g * d + i] }
        }
        for g in 0 ..< 5 {
            for side in 0 ..< 2 {
                transpose(
                    rows: d, cols: d, from: gUT + side * d * l5 + g * d, stride: l5,
                    to: u + g * d * 2 * d + side * d, stride: 2 * d)
            }
            for i in 0 ..< d { b[nodeBiasBlock[g] * d + i] += gbNode[g * d + i] }
        }
    }
}
