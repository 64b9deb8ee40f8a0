import RealModule

/// Raw views of an encoded treebank, valid while the arrays they point into are alive.
public struct TreeArrays {
    public let labels: UnsafePointer<UInt8>
    public let left: UnsafePointer<Int32>
    public let right: UnsafePointer<Int32>
    /// Per node vocabulary id (leaves) or -1.
    public let words: UnsafePointer<Int32>
}

/// Per-thread buffers and gradient accumulators for the forward/backward pass of one tree
/// at a time (llm.c style: everything preallocated, nothing allocated per node).
///
/// Shapes per tree of n nodes: h [n × dp] node vectors, h2 [n × mp] second layer (rnn2),
/// probs [n × C] softmax outputs, err [n × dp] error arriving at each node's h.
/// Gradients are accumulated in the packed layout (see `PackedWeights`); gL [V × dp] is
/// dense but only rows listed in `touchedRows` are non-zero.
public final class TreeWorkspace<T: ModelScalar> {
    /// Shape-only reference for sizes; the weights used are passed to `forward`/`backward`.
    let layout: ParameterLayout
    let kind: ModelKind
    let d: Int, m: Int, C: Int, dp: Int, mp: Int, op: Int, vocabularySize: Int
    private(set) var capacity = 0
    var h: UnsafeMutablePointer<T>, h2: UnsafeMutablePointer<T>
    var err: UnsafeMutablePointer<T>, probs: UnsafeMutablePointer<T>
    let deltaB: UnsafeMutablePointer<T>, delta2: UnsafeMutablePointer<T>, delta3: UnsafeMutablePointer<T>
    let back: UnsafeMutablePointer<T>

    // Gradient accumulators (packed layout).
    let gWT: UnsafeMutablePointer<T>, gb: UnsafeMutablePointer<T>
    let gW2T: UnsafeMutablePointer<T>, gb2: UnsafeMutablePointer<T>
    let gU: UnsafeMutablePointer<T>, gbs: UnsafeMutablePointer<T>
    let gL: UnsafeMutablePointer<T>
    var touched: [Bool]
    var touchedRows: [Int32] = []

    /// `gradients: false` skips the gradient buffers (gL alone is V×dp) for forward-only use.
    public init(layout: ParameterLayout, capacity: Int = 128, gradients: Bool = true) {
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
        deltaB = buffer(dp); delta2 = buffer(mp); delta3 = buffer(padded(C)); back = buffer(max(dp, mp))
        let g = gradients ? 1 : 0
        gWT = buffer(g * 2 * d * dp); gb = buffer(g * dp)
        gW2T = buffer(g * d * mp); gb2 = buffer(g * mp)
        gU = buffer(g * C * op); gbs = buffer(g * padded(C))
        gL = buffer(g * vocabularySize * dp)
        touched = Array(repeating: false, count: g * vocabularySize)
        reserve(nodes: capacity)
    }

    deinit {
        for p in [h, h2, err, probs, deltaB, delta2, delta3, back, gWT, gb, gW2T, gb2, gU, gbs, gL] {
            p.deallocate()
        }
    }

    /// Grows the per-tree buffers to hold trees of `nodes` nodes.
    func reserve(nodes: Int) {
        guard nodes > capacity else { return }
        for p in [h, h2, err, probs] { p.deallocate() }
        capacity = max(nodes, capacity * 2)
        func buffer(_ n: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        h = buffer(capacity * dp); h2 = buffer(capacity * mp)
        err = buffer(capacity * dp); probs = buffer(capacity * C)
    }

    /// Vector the softmax of node i reads: h (rnn) or h2 (rnn2).           [op]
    @inline(__always) func output(_ i: Int) -> UnsafeMutablePointer<T> {
        kind == .rnn ? h + i * dp : h2 + i * mp
    }

    /// Class distribution of node i after `forward`.                        [C]
    public func probabilities(node i: Int) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer(start: probs + i * C, count: C)
    }

    /// Runs the tree `nodes` forward; returns the summed cross-entropy over labelled nodes.
    ///
    /// `L` points at the canonical embedding matrix [V × d].
    @discardableResult
    public func forward(nodes: Range<Int>, arrays t: TreeArrays, weights: PackedWeights<T>,
                        L: UnsafePointer<T>) -> T {
        weights.withPointers { forward(nodes: nodes, arrays: t, w: $0, L: L) }
    }

    func forward(nodes: Range<Int>, arrays t: TreeArrays, w: PackedPointers<T>, L: UnsafePointer<T>) -> T {
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
    public func backward(nodes: Range<Int>, arrays t: TreeArrays, weights: PackedWeights<T>) {
        weights.withPointers { backward(nodes: nodes, arrays: t, w: $0) }
    }

    func backward(nodes: Range<Int>, arrays t: TreeArrays, w: PackedPointers<T>) {
        let n = nodes.count, base = nodes.lowerBound
        zero(n: n * dp, err)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let hi = h + i * dp, ei = err + i * dp
            let label = t.labels[base + i]
            if label < C {
                // δ3 = ŷ − y
                let p = probs + i * C
                for c in 0 ..< C { delta3[c] = p[c] }
                delta3[Int(label)] -= 1
                let out = output(i)
                addOuter(k: C, n: op, x: delta3, v: out, a: gU)
                for c in 0 ..< C { gbs[c] += delta3[c] }
                if kind == .rnn {
                    accumulateRows(r: C, n: dp, stride: op, a: w.Up, s: delta3, y: ei)
                } else {
                    // δ2 = Uᵀδ3 ∘ 1{h2 > 0};  error at h1 += W2ᵀδ2
                    zero(n: mp, delta2)
                    accumulateRows(r: C, n: mp, stride: op, a: w.Up, s: delta3, y: delta2)
                    maskByPositive(n: mp, delta2, h2 + i * mp)
                    addOuter(k: d, n: mp, x: hi, v: delta2, a: gW2T)
                    axpy(n: mp, alpha: 1, x: delta2, y: gb2)
                    accumulateRows(r: m, n: dp, stride: dp, a: w.W2p, s: delta2, y: ei)
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
                // δ_b = e ∘ 1{W[h_l; h_r] + b > 0}; children receive W_left/rightᵀ δ_b
                let r = Int(t.right[base + i])
                deltaB.update(from: ei, count: dp)
                maskByPositive(n: dp, deltaB, hi)
                axpy(n: dp, alpha: 1, x: deltaB, y: gb)
                addOuter(k: d, n: dp, x: h + l * dp, v: deltaB, a: gWT)
                addOuter(k: d, n: dp, x: h + r * dp, v: deltaB, a: gWT + d * dp)
                accumulateRows(r: d, n: dp, stride: 2 * dp, a: w.Wp, s: deltaB, y: err + l * dp)
                accumulateRows(r: d, n: dp, stride: 2 * dp, a: w.Wp + dp, s: deltaB, y: err + r * dp)
            }
        }
    }

    /// Sets every gradient accumulator to zero (touching only used rows of gL).
    public func clearGradients() {
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
    public func exportGradient() -> Gradient<T> {
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
        g.rows = touchedRows
        g.rowValues.reserveCapacity(touchedRows.count * d)
        for row in touchedRows {
            let p = gL + Int(row) * dp
            for j in 0 ..< d { g.rowValues.append(p[j]) }
        }
        return g
    }
}
