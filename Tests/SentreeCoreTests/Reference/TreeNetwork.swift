@testable import SentreeCore
import RealModule

/// The per-node reference implementation of rnn and rnn2: one tree, one node at a time.
///
/// Training runs the level-batched engine (`LevelEngine` + `RNNModel`); this path is the
/// straightforward form of gradients.md that the engine is tested against (to 1e-12 in
/// Float64). Everything is preallocated, nothing allocated per node.
///
/// Shapes per tree of n nodes: h [n × dp] node vectors, h2 [n × mp] second layer (rnn2),
/// probs [n × C] softmax outputs, err [n × dp] error arriving at each node's h.
/// Gradients are accumulated in the packed layout (see `ReferenceWeights`); gL [V × dp] is
/// dense but only rows listed in `touchedRows` are non-zero.
final class TreeWorkspace<T: ModelScalar> {
    /// Shape-only reference for sizes; the weights used are passed to `forward`/`backward`.
    let layout: ParameterLayout
    let kind: ModelKind
    let d: Int, m: Int, C: Int, dp: Int, mp: Int, op: Int, vocabularySize: Int
    private(set) var capacity = 0
    var h: UnsafeMutablePointer<T>, h2: UnsafeMutablePointer<T>
    var err: UnsafeMutablePointer<T>, probs: UnsafeMutablePointer<T>
    /// Per-node δ2 [n × mp] (rnn2) and δ3 [n × C], kept for the end-of-tree outer products.
    var delta2: UnsafeMutablePointer<T>, delta3: UnsafeMutablePointer<T>
    /// Per-tree node lists: internal nodes with their children, labelled nodes.
    var inner: UnsafeMutablePointer<Int32>, lefts: UnsafeMutablePointer<Int32>
    var rights: UnsafeMutablePointer<Int32>, labeled: UnsafeMutablePointer<Int32>

    // Gradient accumulators (packed layout).
    let gWT: UnsafeMutablePointer<T>, gb: UnsafeMutablePointer<T>
    let gW2T: UnsafeMutablePointer<T>, gb2: UnsafeMutablePointer<T>
    let gU: UnsafeMutablePointer<T>, gbs: UnsafeMutablePointer<T>
    let gL: UnsafeMutablePointer<T>
    var touched: [Bool]
    var touchedRows: [Int32] = []

    /// `gradients: false` skips the gradient buffers (gL alone is V×dp) for forward-only use.
    init(layout: ParameterLayout, capacity: Int = 128, gradients: Bool = true) {
        self.layout = layout
        let cfg = layout.config
        kind = cfg.kind
        d = cfg.dim; m = cfg.kind == .rnn2 ? cfg.middle : 0; C = cfg.classes
        dp = padded(d); mp = padded(m); op = cfg.kind == .rnn2 ? mp : dp
        vocabularySize = cfg.vocabularySize
        func buffer(_ n: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        h = buffer(0); h2 = buffer(0); err = buffer(0); probs = buffer(0)
        delta2 = buffer(0); delta3 = buffer(0)
        inner = .allocate(capacity: 1); lefts = .allocate(capacity: 1)
        rights = .allocate(capacity: 1); labeled = .allocate(capacity: 1)
        let g = gradients ? 1 : 0
        gWT = buffer(g * 2 * d * dp); gb = buffer(g * dp)
        gW2T = buffer(g * d * mp); gb2 = buffer(g * mp)
        gU = buffer(g * C * op); gbs = buffer(g * padded(C))
        gL = buffer(g * vocabularySize * dp)
        touched = Array(repeating: false, count: g * vocabularySize)
        reserve(nodes: capacity)
    }

    deinit {
        for p in [h, h2, err, probs, delta2, delta3, gWT, gb, gW2T, gb2, gU, gbs, gL] {
            p.deallocate()
        }
        for p in [inner, lefts, rights, labeled] { p.deallocate() }
    }

    /// Grows the per-tree buffers to hold trees of `nodes` nodes.
    func reserve(nodes: Int) {
        guard nodes > capacity else { return }
        for p in [h, h2, err, probs, delta2, delta3] { p.deallocate() }
        for p in [inner, lefts, rights, labeled] { p.deallocate() }
        capacity = max(nodes, capacity * 2)
        func buffer(_ n: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        h = buffer(capacity * dp); h2 = buffer(capacity * mp)
        err = buffer(capacity * dp); probs = buffer(capacity * C)
        delta2 = buffer(capacity * mp); delta3 = buffer(capacity * C)
        inner = .allocate(capacity: capacity); lefts = .allocate(capacity: capacity)
        rights = .allocate(capacity: capacity); labeled = .allocate(capacity: capacity)
    }

    /// Vector the softmax of node i reads: h (rnn) or h2 (rnn2).           [op]
    @inline(__always) func output(_ i: Int) -> UnsafeMutablePointer<T> {
        kind == .rnn ? h + i * dp : h2 + i * mp
    }

    /// Class distribution of node i after `forward`.                        [C]
    func probabilities(node i: Int) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer(start: probs + i * C, count: C)
    }

    /// Runs the tree `nodes` forward; returns the summed cross-entropy over labelled nodes.
    ///
    /// `L` points at the canonical embedding matrix [V × d].
    @discardableResult
    func forward(
        nodes: Range<Int>, arrays t: TreeArrays, weights: ReferenceWeights<T>,
        L: UnsafePointer<T>
    ) -> T {
        weights.withPointers { forward(nodes: nodes, arrays: t, w: $0, L: L) }
    }

    func forward(nodes: Range<Int>, arrays t: TreeArrays, w: ReferencePointers<T>, L: UnsafePointer<T>) -> T {
        let n = nodes.count, base = nodes.lowerBound
        reserve(nodes: n)
        var loss: T = 0
        for i in 0 ..< n {
            let hi = h + i * dp
            let l = Int(t.left[base + i])
            if l < 0 {
                let word = Int(t.words[base + i])
                hi.update(from: L + word * d, count: d)
            } else {
                let r = Int(t.right[base + i])
                affineColumns(k: d, n: dp, a: w.WT, x: h + l * dp, bias: w.b, y: hi)
                affineColumns(k: d, n: dp, a: w.WT + d * dp, x: h + r * dp, bias: hi, y: hi)
                reluInPlace(n: dp, hi)
            }
            if kind == .rnn2 {
                let h2i = h2 + i * mp
                affineColumns(k: d, n: mp, a: w.W2T, x: hi, bias: w.b2, y: h2i)
                reluInPlace(n: mp, h2i)
            }
            // Log-softmax for the loss, softmax for the outputs.
            let out = output(i), p = probs + i * C
            var top = -T.infinity
            for c in 0 ..< C {
                let z = dot(n: op, w.Up + c * op, out) + w.bs[c]
                p[c] = z
                top = Swift.max(top, z)
            }
            let label = t.labels[base + i]
            let gold = label < C ? p[Int(label)] : 0
            var total: T = 0
            for c in 0 ..< C {
                p[c] = T.exp(p[c] - top)
                total += p[c]
            }
            // loss = log Σ exp(z) − z_gold, computed from the shifted logits (no overflow).
            if label < C { loss += T.log(total) + top - gold }
            let inverse = 1 / total
            for c in 0 ..< C { p[c] *= inverse }
        }
        return loss
    }

    /// Accumulates the gradient of the summed cross-entropy of the tree last run `forward`.
    ///
    /// Follows gradients.md (with the deep-RNN correction: the error reaching h1 from the
    /// second layer is W2ᵀδ2). Errors flow root-to-leaves in reverse post-order.
    func backward(nodes: Range<Int>, arrays t: TreeArrays, weights: ReferenceWeights<T>) {
        weights.withPointers { backward(nodes: nodes, arrays: t, w: $0) }
    }

    func backward(nodes: Range<Int>, arrays t: TreeArrays, w: ReferencePointers<T>) {
        let n = nodes.count, base = nodes.lowerBound
        zero(n: n * dp, err)
        // Outer-product terms are collected per tree and summed at the end (addOuterSum).
        var internalCount = 0, labeledCount = 0
        for i in stride(from: n - 1, through: 0, by: -1) {
            let hi = h + i * dp, ei = err + i * dp
            let label = t.labels[base + i]
            if label < C {
                // δ3 = ŷ − y
                let p = probs + i * C, d3 = delta3 + i * C
                for c in 0 ..< C { d3[c] = p[c] }
                d3[Int(label)] -= 1
                for c in 0 ..< C { gbs[c] += d3[c] }
                labeled[labeledCount] = Int32(i)
                labeledCount += 1
                if kind == .rnn {
                    accumulateRows(r: C, n: dp, stride: op, a: w.Up, s: d3, y: ei)
                } else {
                    // δ2 = Uᵀδ3 ∘ 1{h2 > 0};  error at h1 += W2ᵀδ2
                    let d2 = delta2 + i * mp
                    zero(n: mp, d2)
                    accumulateRows(r: C, n: mp, stride: op, a: w.Up, s: d3, y: d2)
                    maskByPositive(n: mp, d2, h2 + i * mp)
                    axpy(n: mp, alpha: 1, x: d2, y: gb2)
                    accumulateRows(r: m, n: dp, stride: dp, a: w.W2p, s: d2, y: ei)
                }
            }
            let l = Int(t.left[base + i])
            if l < 0 {
                let word = Int(t.words[base + i])
                if !touched[word] {
                    touched[word] = true
                    touchedRows.append(Int32(word))
                }
                axpy(n: dp, alpha: 1, x: ei, y: gL + word * dp)
            } else {
                // δ_b = e ∘ 1{W[h_l; h_r] + b > 0}, kept in err[i]; children receive
                // W_left/rightᵀ δ_b.
                let r = Int(t.right[base + i])
                maskByPositive(n: dp, ei, hi)
                axpy(n: dp, alpha: 1, x: ei, y: gb)
                inner[internalCount] = Int32(i)
                lefts[internalCount] = Int32(l)
                rights[internalCount] = Int32(r)
                internalCount += 1
                accumulateRows(r: d, n: dp, stride: 2 * dp, a: w.Wp, s: ei, y: err + l * dp)
                accumulateRows(r: d, n: dp, stride: 2 * dp, a: w.Wp + dp, s: ei, y: err + r * dp)
            }
        }
        // ∂W_left += Σ δ_b h_leftᵀ, ∂W_right += Σ δ_b h_rightᵀ (stored transposed)
        addOuterSum(
            k: d, n: dp, count: internalCount, x: h, xStride: dp, xIndex: lefts,
            v: err, vStride: dp, vIndex: inner, a: gWT)
        addOuterSum(
            k: d, n: dp, count: internalCount, x: h, xStride: dp, xIndex: rights,
            v: err, vStride: dp, vIndex: inner, a: gWT + d * dp)
        // ∂U += Σ δ3 outᵀ;  ∂W2 += Σ δ2 h1ᵀ (stored transposed)
        addOuterSum(
            k: C, n: op, count: labeledCount, x: delta3, xStride: C, xIndex: labeled,
            v: kind == .rnn ? h : h2, vStride: op, vIndex: labeled, a: gU)
        if kind == .rnn2 {
            addOuterSum(
                k: d, n: mp, count: labeledCount, x: h, xStride: dp, xIndex: labeled,
                v: delta2, vStride: mp, vIndex: labeled, a: gW2T)
        }
    }

    /// Sets every gradient accumulator to zero (touching only used rows of gL).
    func clearGradients() {
        zero(n: 2 * d * dp, gWT); zero(n: dp, gb)
        zero(n: d * mp, gW2T); zero(n: mp, gb2)
        zero(n: C * op, gU); zero(n: padded(C), gbs)
        for row in touchedRows {
            zero(n: dp, gL + Int(row) * dp)
            touched[Int(row)] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
    }

    /// Copies this workspace's gradient out as a value (dense tensors + touched L rows).
    func exportGradient() -> Gradient<T> {
        let layout = self.layout
        var g = Gradient<T>(layout: layout)
        g.dense.withUnsafeMutableBufferPointer { out in
            let grad = out.baseAddress!
            let base = layout.L.count
            for i in 0 ..< d {
                for j in 0 ..< 2 * d { grad[layout.W.offset - base + i * 2 * d + j] = gWT[j * dp + i] }
                grad[layout.b.offset - base + i] = gb[i]
            }
            if let W2 = layout.W2, let B2 = layout.b2 {
                for k in 0 ..< m {
                    for j in 0 ..< d { grad[W2.offset - base + k * d + j] = gW2T[j * mp + k] }
                    grad[B2.offset - base + k] = gb2[k]
                }
            }
            let o = layout.config.outputWidth
            for c in 0 ..< C {
                for j in 0 ..< o { grad[layout.U.offset - base + c * o + j] = gU[c * op + j] }
                grad[layout.bs.offset - base + c] = gbs[c]
            }
        }
        g.takeRows(touchedRows, from: gL, stride: dp)
        return g
    }
}

extension TreeWorkspace {
    /// The per-node reference: summed cross-entropy of `trees` and its gradient, one tree
    /// and one node at a time. The engine's batched path must agree with it (see the tests).
    static func referenceLossAndGradient(
        layout: ParameterLayout, parameters: [T], trees: [Int],
        data: EncodedTreebank
    ) -> (loss: Double, gradient: Gradient<T>) {
        let ws = TreeWorkspace<T>(layout: layout, capacity: max(1, data.maxTreeSize))
        let weights = parameters.withUnsafeBufferPointer {
            ReferenceWeights<T>(layout: layout, parameters: $0.baseAddress!)
        }
        var loss = 0.0
        parameters.withUnsafeBufferPointer { params in
            data.withArrays { arrays in
                for t in trees {
                    let r = data.treebank.nodes(of: t)
                    loss += Double(
                        ws.forward(
                            nodes: r, arrays: arrays, weights: weights,
                            L: params.baseAddress! + layout.L.offset))
                    ws.backward(nodes: r, arrays: arrays, weights: weights)
                }
            }
        }
        return (loss, ws.exportGradient())
    }
}
