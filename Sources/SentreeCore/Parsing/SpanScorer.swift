import RealModule

/// Scores every span of a batch's sentences from the BiLSTM's fenceposts, and backpropagates
/// the span loss into them (derivation: docs/models/Parser.md, "Span scores").
///
/// Fencepost k of a sentence of n words sits between words k and k+1 (k = 0 … n):
/// `F_k = [f_k ; −b_k]`, where f_k is the forward state after word k and b_k the backward
/// state at word k+1. Span (i, j) scores `s(i, j) = v · relu(F_i W_L + F_j W_R + b1) + c`:
/// the fencepost where the span starts and the one where it ends each have their own
/// projection. Stern et al.'s difference `(F_j − F_i) W1` is the case W_L = −W_R (and the
/// starting point); separate ones can also tell how a span's edges look, not only what lies
/// between them. The first layer is linear, so `P_k = F_k [W_L | W_R]` is computed once per
/// fencepost and a span costs one H-wide ReLU and dot product, not a matrix product.
final class SpanScorer<T: ModelScalar> {
    let h: Int
    /// H, the scorer's hidden units.
    let width: Int
    /// Scalars per projected fencepost: its H start units, then its H end units.
    var stride: Int { 2 * width }
    var fence: [T] = [], projected: [T] = []
    var dProjected: [T] = [], dFence: [T] = []
    /// Inverted-dropout mask of the fenceposts, empty when nothing is dropped.
    var fenceMask: [T] = []
    private var w1T: [T] = []
    /// The loss-augmented trees of the last hinge loss, per sentence (`i·(n+1) + j` of each
    /// span): the gradient check treats a step that changes them like a ReLU kink.
    var violators: [[Int]] = []

    init(hidden: Int, spanHidden: Int) {
        h = hidden
        width = spanHidden
    }

    func forward(
        _ batch: SentenceBatch, forward fw: LSTMPass<T>, backward bw: LSTMPass<T>,
        _ p: UnsafePointer<T>, layout: ParserLayout, dropout: inout Dropping?
    ) {
        let rows = batch.fenceRows, h = self.h
        resize(&fence, rows * 2 * h); resize(&projected, rows * stride, zeroed: true)
        fence.withUnsafeMutableBufferPointer { fb in
            fw.hidden.withUnsafeBufferPointer { fh in
                bw.hidden.withUnsafeBufferPointer { bh in
                    for s in 0 ..< batch.count {
                        let n = batch.sentences[s].count
                        for k in 0 ... n {
                            let out = fb.baseAddress! + (batch.fenceStart[s] + k) * 2 * h
                            copyVector(n: h, fh.baseAddress! + batch.row(step: k, sentence: s) * h, out)
                            // Backward step n − k read framed position k + 1, i.e. word k+1.
                            let b = bh.baseAddress! + batch.row(step: n - k, sentence: s) * h
                            var c = 0
                            while c < h { store(-load(b, c), out + h, c); c += laneWidth }
                        }
                    }
                }
            }
        }
        fenceMask = dropout?.mask(count: rows * 2 * h) ?? []
        if !fenceMask.isEmpty { multiply(&fence, by: fenceMask) }
        fence.withUnsafeBufferPointer { fb in
            projected.withUnsafeMutableBufferPointer { pb in
                gemm(
                    m: rows, n: stride, k: 2 * h, a: fb.baseAddress!, rowStride: 2 * h, columnStride: 1,
                    b: p + layout.w1, ldb: stride, c: pb.baseAddress!, ldc: stride)
            }
        }
    }

    /// s(i, j) of sentence `s` of the batch.
    @inline(__always)
    func score(
        _ s: Int, _ i: Int, _ j: Int, in batch: SentenceBatch, _ p: UnsafePointer<T>,
        layout: ParserLayout
    ) -> T {
        projected.withUnsafeBufferPointer { pb in
            let base = pb.baseAddress! + batch.fenceStart[s] * stride
            return spanScore(base + i * stride, base + j * stride, p, layout: layout)
        }
    }

    /// Unit `c ..< c+16` of span (i, j)'s pre-activation, from the projected fenceposts i and j.
    @inline(__always)
    func preActivation(
        _ pi: UnsafePointer<T>, _ pj: UnsafePointer<T>, _ c: Int, _ p: UnsafePointer<T>,
        layout: ParserLayout
    ) -> SIMD16<T> {
        load(pi, c) + load(pj, width + c) + load(p + layout.b1, c)
    }

    @inline(__always)
    func spanScore(
        _ pi: UnsafePointer<T>, _ pj: UnsafePointer<T>, _ p: UnsafePointer<T>,
        layout: ParserLayout
    ) -> T {
        var acc = SIMD16<T>()
        let zero = SIMD16<T>()
        var c = 0
        while c < width {
            let a = preActivation(pi, pj, c, p, layout: layout)
            acc = acc.addingProduct(pointwiseMax(a, zero), load(p + layout.v, c))
            c += laneWidth
        }
        return acc.sum() + p[layout.c]
    }

    /// Scores of all spans of sentence `s` of length ≥ 2, at `i·(n+1) + j` (others 0).
    func chart(_ s: Int, in batch: SentenceBatch, _ p: UnsafePointer<T>, layout: ParserLayout) -> [T] {
        let n = batch.sentences[s].count
        var out = [T](repeating: 0, count: (n + 1) * (n + 1))
        projected.withUnsafeBufferPointer { pb in
            let base = pb.baseAddress! + batch.fenceStart[s] * stride
            for i in 0 ..< n {
                for j in i + 2 ..< n + 1 where j - i < n {
                    out[i * (n + 1) + j] = spanScore(base + i * stride, base + j * stride, p, layout: layout)
                }
            }
        }
        return out
    }

    /// The loss of the batch times `scale`, and its gradient: into `grad` for v, c, b1 and
    /// W1, and into the LSTMs' `dHidden`.
    ///
    /// `gold[s]` marks sentence s's gold spans at `i·(n+1) + j`.
    func lossAndBackward(
        _ batch: SentenceBatch, gold: [[Bool]], scale: T, loss kind: ParserLoss,
        forward fw: LSTMPass<T>, backward bw: LSTMPass<T>, _ p: UnsafePointer<T>,
        _ grad: UnsafeMutablePointer<T>, layout: ParserLayout
    ) -> T {
        let rows = batch.fenceRows, stride = self.stride
        resize(&dProjected, rows * stride, zeroed: true)
        var loss: T = 0
        violators = []
        projected.withUnsafeBufferPointer { pb in
            dProjected.withUnsafeMutableBufferPointer { db in
                for s in 0 ..< batch.count {
                    let n = batch.sentences[s].count
                    let base = pb.baseAddress! + batch.fenceStart[s] * stride
                    let dBase = db.baseAddress! + batch.fenceStart[s] * stride
                    func add(_ ds: T, _ i: Int, _ j: Int) {
                        addSpanGradient(
                            ds, base + i * stride, base + j * stride, dBase + i * stride,
                            dBase + j * stride, p, grad, layout: layout)
                    }
                    switch kind {
                    case .logistic:
                        for i in 0 ..< n {
                            for j in i + 2 ..< n + 1 where j - i < n {
                                let score = spanScore(base + i * stride, base + j * stride, p, layout: layout)
                                let y: T = gold[s][i * (n + 1) + j] ? 1 : 0
                                // softplus(s) − y·s, computed without overflow for large |s|.
                                loss +=
                                    scale
                                    * (T.log(1 + T.exp(-Swift.abs(score))) + Swift.max(score, 0)
                                        - y * score)
                                add(scale * (1 / (1 + T.exp(-score)) - y), i, j)
                            }
                        }
                    case .hinge:
                        if n < 3 { continue }
                        // Loss-augmented decoding: the tree that most violates the margin, where
                        // each non-gold span must be beaten by 1.
                        var augmented = [T](repeating: 0, count: (n + 1) * (n + 1))
                        var plain = augmented
                        for i in 0 ..< n {
                            for j in i + 2 ..< n + 1 where j - i < n {
                                let k = i * (n + 1) + j
                                plain[k] = spanScore(base + i * stride, base + j * stride, p, layout: layout)
                                augmented[k] = plain[k] + (gold[s][k] ? 0 : 1)
                            }
                        }
                        let predicted = Self.bestTree(words: n, scores: augmented)
                        violators.append(predicted.map { $0.0 * (n + 1) + $0.1 })
                        for (i, j) in predicted where !gold[s][i * (n + 1) + j] {
                            loss += scale * augmented[i * (n + 1) + j]
                            add(scale, i, j)
                        }
                        for i in 0 ..< n {
                            for j in i + 2 ..< n + 1 where j - i < n && gold[s][i * (n + 1) + j] {
                                if predicted.contains(where: { $0 == (i, j) }) { continue }
                                loss -= scale * plain[i * (n + 1) + j]
                                add(-scale, i, j)
                            }
                        }
                    }
                }
            }
        }
        backward(batch, forward: fw, backward: bw, p, grad, layout: layout)
        return loss
    }

    /// Adds ∂L/∂s = `ds` of span (i, j) to c, v, b1 and the projected fenceposts.
    @inline(__always)
    private func addSpanGradient(
        _ ds: T, _ pi: UnsafePointer<T>, _ pj: UnsafePointer<T>,
        _ di: UnsafeMutablePointer<T>, _ dj: UnsafeMutablePointer<T>,
        _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
        layout: ParserLayout
    ) {
        let zero = SIMD16<T>()
        grad[layout.c] += ds
        let dsv = SIMD16<T>(repeating: ds)
        var c = 0
        while c < width {
            let a = preActivation(pi, pj, c, p, layout: layout)
            let r = pointwiseMax(a, zero)
            store(load(grad + layout.v, c).addingProduct(dsv, r), grad + layout.v, c)
            let da = (dsv * load(p + layout.v, c)).replacing(with: zero, where: a .<= zero)
            store(load(grad + layout.b1, c) + da, grad + layout.b1, c)
            store(load(di, c) + da, di, c)
            store(load(dj, width + c) + da, dj, width + c)
            c += laneWidth
        }
    }

    /// The scored spans (2 … n−1 words) of the CKY-best tree under `scores` (n ≥ 3), in the
    /// scalar type being trained, so the gradient check's Float64 run decodes in Float64 too.
    static func bestTree(words n: Int, scores: [T]) -> [(Int, Int)] {
        let w = n + 1
        let split = ChartDecoder.chart(words: n, scores: scores).split
        var out: [(Int, Int)] = [], stack = [(0, n)]
        while let (i, j) = stack.popLast() {
            if j - i < 2 { continue }
            if j - i < n { out.append((i, j)) }
            let k = split[i * w + j]
            stack.append((i, k)); stack.append((k, j))
        }
        return out
    }

    /// From `dProjected`: W1's gradient, and the fenceposts' into `dHidden`.
    private func backward(
        _ batch: SentenceBatch, forward fw: LSTMPass<T>, backward bw: LSTMPass<T>,
        _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, layout: ParserLayout
    ) {
        let rows = batch.fenceRows, h = self.h, stride = self.stride
        resize(&dFence, rows * 2 * h, zeroed: true)
        resize(&w1T, stride * 2 * h)
        w1T.withUnsafeMutableBufferPointer {
            transpose(
                rows: 2 * h, cols: stride, from: p + layout.w1, stride: stride, to: $0.baseAddress!,
                stride: 2 * h)
        }
        dProjected.withUnsafeBufferPointer { db in
            fence.withUnsafeBufferPointer { fb in
                dFence.withUnsafeMutableBufferPointer { dfb in
                    w1T.withUnsafeBufferPointer { wt in
                        gemm(
                            m: 2 * h, n: stride, k: rows, a: fb.baseAddress!, rowStride: 1,
                            columnStride: 2 * h,
                            b: db.baseAddress!, ldb: stride, c: grad + layout.w1, ldc: stride)
                        gemm(
                            m: rows, n: 2 * h, k: stride, a: db.baseAddress!, rowStride: stride,
                            columnStride: 1,
                            b: wt.baseAddress!, ldb: 2 * h, c: dfb.baseAddress!, ldc: 2 * h)
                    }
                }
            }
        }
        if !fenceMask.isEmpty { multiply(&dFence, by: fenceMask) }
        resize(&fw.dHidden, batch.rows * h, zeroed: true)
        resize(&bw.dHidden, batch.rows * h, zeroed: true)
        dFence.withUnsafeBufferPointer { dfb in
            fw.dHidden.withUnsafeMutableBufferPointer { fd in
                bw.dHidden.withUnsafeMutableBufferPointer { bd in
                    for s in 0 ..< batch.count {
                        let n = batch.sentences[s].count
                        for k in 0 ... n {
                            let d = dfb.baseAddress! + (batch.fenceStart[s] + k) * 2 * h
                            let f = fd.baseAddress! + batch.row(step: k, sentence: s) * h
                            let b = bd.baseAddress! + batch.row(step: n - k, sentence: s) * h
                            var c = 0
                            while c < h {
                                store(load(f, c) + load(d, c), f, c)
                                store(load(b, c) - load(d, h + c), b, c)
                                c += laneWidth
                            }
                        }
                    }
                }
            }
        }
    }
}
