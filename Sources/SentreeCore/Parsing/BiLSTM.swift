/// One direction of the parser's BiLSTM over a `SentenceBatch`, with its hand-written
/// backward pass (derivation: docs/models/Parser.md, "LSTM").
///
/// Buffers are kept between batches; rows follow the batch's packed layout.
/// Gates per row are [i | f | o | g], each `h` wide; after `forward` they hold activations.
final class LSTMPass<T: ModelScalar> {
    let h: Int
    let inputWidth: Int
    let reversed: Bool
    var x: [T] = [], gates: [T] = [], cell: [T] = [], tanhCell: [T] = [], hidden: [T] = []
    /// Set by the caller before `backward`: ∂loss/∂hidden from outside the LSTM.
    var dHidden: [T] = []
    var dCell: [T] = [], dGates: [T] = [], dX: [T] = []
    /// Inverted-dropout mask of the input rows (0 or 1/(1−rate)), empty when nothing is dropped.
    var inputMask: [T] = []
    private var whT: [T] = [], wxT: [T] = []

    init(hidden: Int, inputWidth: Int, reversed: Bool) {
        h = hidden
        self.inputWidth = inputWidth
        self.reversed = reversed
    }

    /// Framed-sentence position read at step `t` by sentence `s` of length `length`.
    @inline(__always) func position(_ t: Int, length: Int) -> Int { reversed ? length - 1 - t : t }

    /// With `lower` (a second layer), each step reads the layer below's forward and backward
    /// states at its position instead of the word's vectors; with `characters` (a first layer
    /// of a parser with a character encoder, run already), the word's vectors are followed by
    /// its character encoding.
    func forward(
        _ batch: SentenceBatch, _ p: UnsafePointer<T>, layout: ParserLayout,
        direction d: ParserLayout.Direction, dropout: Dropping? = nil,
        lower: (forward: LSTMPass, backward: LSTMPass)? = nil, characters: CharacterEncoder<T>? = nil
    ) {
        let rows = batch.rows, h = self.h, xw = inputWidth, g4 = 4 * h
        resize(&x, rows * xw); resize(&gates, rows * g4)
        resize(&cell, rows * h); resize(&tanhCell, rows * h); resize(&hidden, rows * h)
        if let lower {
            gatherStates(batch, lower)
        } else {
            gatherInputs(batch, p, layout: layout, characters: characters)
        }
        var dropping = dropout
        inputMask = dropping?.mask(count: rows * xw) ?? []
        if !inputMask.isEmpty { multiply(&x, by: inputMask) }
        x.withUnsafeBufferPointer { x in
            gates.withUnsafeMutableBufferPointer { gates in
                broadcastRows(m: rows, n: g4, v: p + d.b, y: gates.baseAddress!, ldy: g4)
                gemm(
                    m: rows, n: g4, k: xw, a: x.baseAddress!, rowStride: xw, columnStride: 1,
                    b: p + d.wx, ldb: g4, c: gates.baseAddress!, ldc: g4)
            }
        }
        gates.withUnsafeMutableBufferPointer { gb in
            cell.withUnsafeMutableBufferPointer { cb in
                tanhCell.withUnsafeMutableBufferPointer { tb in
                    hidden.withUnsafeMutableBufferPointer { hb in
                        let gp = gb.baseAddress!, cp = cb.baseAddress!, tp = tb.baseAddress!,
                            hp = hb.baseAddress!
                        for t in 0 ..< batch.steps {
                            let m = batch.active[t], base = batch.offset[t]
                            if t > 0 {
                                gemm(
                                    m: m, n: g4, k: h, a: hp + batch.offset[t - 1] * h, rowStride: h,
                                    columnStride: 1, b: p + d.wh, ldb: g4, c: gp + base * g4, ldc: g4)
                            }
                            for s in 0 ..< m {
                                let row = base + s, prev = t > 0 ? batch.offset[t - 1] + s : -1
                                let gr = gp + row * g4
                                var c = 0
                                while c < h {
                                    let i = sigmoidChunk(load(gr, c)), f = sigmoidChunk(load(gr, h + c))
                                    let o = sigmoidChunk(load(gr, 2 * h + c)),
                                        g = tanhChunk(load(gr, 3 * h + c))
                                    store(i, gr, c); store(f, gr, h + c); store(o, gr, 2 * h + c);
                                    store(g, gr, 3 * h + c)
                                    let before = prev >= 0 ? load(cp, prev * h + c) : SIMD16<T>()
                                    let cc = (i * g).addingProduct(f, before)
                                    let tc = tanhChunk(cc)
                                    store(cc, cp, row * h + c); store(tc, tp, row * h + c);
                                    store(o * tc, hp, row * h + c)
                                    c += laneWidth
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds this direction's gradient to `g`, given `dHidden`; with `lower`, the inputs'
    /// gradient goes into the lower layer's `dHidden` (which must be sized and set first), and
    /// with `characters`, that of the character encodings is added to its `dOutput` (same).
    func backward(
        _ batch: SentenceBatch, _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>,
        layout: ParserLayout, direction d: ParserLayout.Direction,
        lower: (forward: LSTMPass, backward: LSTMPass)? = nil, characters: CharacterEncoder<T>? = nil
    ) {
        let rows = batch.rows, h = self.h, xw = inputWidth, g4 = 4 * h
        resize(&dCell, rows * h, zeroed: true); resize(&dGates, rows * g4);
        resize(&dX, rows * xw, zeroed: true)
        resize(&whT, g4 * h); resize(&wxT, g4 * xw)
        whT.withUnsafeMutableBufferPointer {
            transpose(rows: h, cols: g4, from: p + d.wh, stride: g4, to: $0.baseAddress!, stride: h)
        }
        wxT.withUnsafeMutableBufferPointer {
            transpose(rows: xw, cols: g4, from: p + d.wx, stride: g4, to: $0.baseAddress!, stride: xw)
        }
        gates.withUnsafeBufferPointer { gb in
            cell.withUnsafeBufferPointer { cb in
                tanhCell.withUnsafeBufferPointer { tb in
                    hidden.withUnsafeBufferPointer { hb in
                        dHidden.withUnsafeMutableBufferPointer { dhb in
                            dCell.withUnsafeMutableBufferPointer { dcb in
                                dGates.withUnsafeMutableBufferPointer { dgb in
                                    whT.withUnsafeBufferPointer { wht in
                                        let gp = gb.baseAddress!, cp = cb.baseAddress!, tp = tb.baseAddress!,
                                            hp = hb.baseAddress!
                                        let dhp = dhb.baseAddress!, dcp = dcb.baseAddress!,
                                            dgp = dgb.baseAddress!
                                        let one = SIMD16<T>(repeating: 1)
                                        for t in stride(from: batch.steps - 1, through: 0, by: -1) {
                                            let m = batch.active[t], base = batch.offset[t]
                                            for s in 0 ..< m {
                                                let row = base + s,
                                                    prev = t > 0 ? batch.offset[t - 1] + s : -1
                                                let gr = gp + row * g4, dgr = dgp + row * g4
                                                var c = 0
                                                while c < h {
                                                    let i = load(gr, c), f = load(gr, h + c),
                                                        o = load(gr, 2 * h + c), g = load(gr, 3 * h + c)
                                                    let tc = load(tp, row * h + c),
                                                        dh = load(dhp, row * h + c)
                                                    let dc = load(dcp, row * h + c) + dh * o * (one - tc * tc)
                                                    let before =
                                                        prev >= 0 ? load(cp, prev * h + c) : SIMD16<T>()
                                                    store(dc * g * i * (one - i), dgr, c)
                                                    store(dc * before * f * (one - f), dgr, h + c)
                                                    store(dh * tc * o * (one - o), dgr, 2 * h + c)
                                                    store(dc * i * (one - g * g), dgr, 3 * h + c)
                                                    if prev >= 0 {
                                                        store(
                                                            load(dcp, prev * h + c) + dc * f, dcp,
                                                            prev * h + c)
                                                    }
                                                    c += laneWidth
                                                }
                                            }
                                            if t > 0 {
                                                let prevBase = batch.offset[t - 1]
                                                gemm(
                                                    m: m, n: h, k: g4, a: dgp + base * g4, rowStride: g4,
                                                    columnStride: 1,
                                                    b: wht.baseAddress!, ldb: h, c: dhp + prevBase * h, ldc: h
                                                )
                                                gemm(
                                                    m: h, n: g4, k: m, a: hp + prevBase * h, rowStride: 1,
                                                    columnStride: h,
                                                    b: dgp + base * g4, ldb: g4, c: grad + d.wh, ldc: g4)
                                            }
                                        }
                                        _ = cp
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        x.withUnsafeBufferPointer { xb in
            dGates.withUnsafeBufferPointer { dgb in
                dX.withUnsafeMutableBufferPointer { dxb in
                    wxT.withUnsafeBufferPointer { wxt in
                        gemm(
                            m: xw, n: g4, k: rows, a: xb.baseAddress!, rowStride: 1, columnStride: xw,
                            b: dgb.baseAddress!, ldb: g4, c: grad + d.wx, ldc: g4)
                        addColumnSums(m: rows, n: g4, x: dgb.baseAddress!, ldx: g4, y: grad + d.b)
                        gemm(
                            m: rows, n: xw, k: g4, a: dgb.baseAddress!, rowStride: g4, columnStride: 1,
                            b: wxt.baseAddress!, ldb: xw, c: dxb.baseAddress!, ldc: xw)
                    }
                }
            }
        }
        if !inputMask.isEmpty { multiply(&dX, by: inputMask) }
        if let lower {
            scatterStateGradient(batch, lower)
        } else {
            scatterInputGradient(batch, grad, layout: layout, characters: characters)
        }
    }

    /// Row (t, s) of `x`: the lower layer's forward state, then its backward state, at the
    /// position this direction reads.
    private func gatherStates(_ batch: SentenceBatch, _ lower: (forward: LSTMPass, backward: LSTMPass)) {
        let h = self.h, xw = inputWidth
        x.withUnsafeMutableBufferPointer { xb in
            lower.forward.hidden.withUnsafeBufferPointer { fb in
                lower.backward.hidden.withUnsafeBufferPointer { bb in
                    forEachStateRow(batch) { row, f, b in
                        let out = xb.baseAddress! + row * xw
                        out.update(from: fb.baseAddress! + f * h, count: h)
                        (out + h).update(from: bb.baseAddress! + b * h, count: h)
                    }
                }
            }
        }
    }

    /// `gatherStates` backwards: adds `dX` to the lower layer's `dHidden`.
    private func scatterStateGradient(
        _ batch: SentenceBatch, _ lower: (forward: LSTMPass, backward: LSTMPass)
    ) {
        let h = self.h, xw = inputWidth
        dX.withUnsafeBufferPointer { db in
            lower.forward.dHidden.withUnsafeMutableBufferPointer { fb in
                lower.backward.dHidden.withUnsafeMutableBufferPointer { bb in
                    forEachStateRow(batch) { row, f, b in
                        let d = db.baseAddress! + row * xw
                        addExact(n: h, d, fb.baseAddress! + f * h)
                        addExact(n: h, d + h, bb.baseAddress! + b * h)
                    }
                }
            }
        }
    }

    /// For each row (t, s) of this pass, `body(row, f, b)` with the lower layer's rows holding
    /// the position it reads: the lower forward pass reads position q at its step q, the lower
    /// backward pass at its step L−1−q.
    @inline(__always)
    private func forEachStateRow(_ batch: SentenceBatch, _ body: (Int, Int, Int) -> Void) {
        for t in 0 ..< batch.steps {
            for s in 0 ..< batch.active[t] {
                let length = batch.sentences[s].words.count, at = position(t, length: length)
                body(
                    batch.row(step: t, sentence: s), batch.row(step: at, sentence: s),
                    batch.row(step: length - 1 - at, sentence: s))
            }
        }
    }

    /// Row (t, s) of `x`: the word, suffix and shape vectors of the position it reads, its
    /// character encoding (row (position, s) of `characters.output`), then zeros.
    private func gatherInputs(
        _ batch: SentenceBatch, _ p: UnsafePointer<T>, layout: ParserLayout, characters: CharacterEncoder<T>?
    ) {
        let c = layout.config, xw = inputWidth
        x.withUnsafeMutableBufferPointer { xb in
            let xp = xb.baseAddress!
            if let characters {
                let base = c.wordDim + c.suffixDim + c.shapeDim, C = c.charChannels
                characters.output.withUnsafeBufferPointer { yb in
                    forEachInputRow(batch) { row, at in
                        (xp + row * xw + base).update(from: yb.baseAddress! + at * C, count: C)
                    }
                }
            }
            for t in 0 ..< batch.steps {
                for s in 0 ..< batch.active[t] {
                    let e = batch.sentences[s], at = position(t, length: e.words.count)
                    let row = xp + batch.row(step: t, sentence: s) * xw
                    row.update(from: p + layout.words + Int(e.words[at]) * c.wordDim, count: c.wordDim)
                    (row + c.wordDim).update(
                        from: p + layout.suffixes + Int(e.suffixes[at]) * c.suffixDim,
                        count: c.suffixDim)
                    (row + c.wordDim + c.suffixDim).update(
                        from: p + layout.shapes + Int(e.shapes[at]) * c.shapeDim,
                        count: c.shapeDim)
                    let used = c.wordDim + c.suffixDim + c.shapeDim + c.charChannels
                    (row + used).update(repeating: 0, count: xw - used)
                }
            }
        }
    }

    private func scatterInputGradient(
        _ batch: SentenceBatch, _ grad: UnsafeMutablePointer<T>, layout: ParserLayout,
        characters: CharacterEncoder<T>?
    ) {
        let c = layout.config, xw = inputWidth
        dX.withUnsafeBufferPointer { db in
            let dp = db.baseAddress!
            if let characters {
                let base = c.wordDim + c.suffixDim + c.shapeDim, C = c.charChannels
                characters.dOutput.withUnsafeMutableBufferPointer { dyb in
                    forEachInputRow(batch) { row, at in
                        addExact(n: C, dp + row * xw + base, dyb.baseAddress! + at * C)
                    }
                }
            }
            for t in 0 ..< batch.steps {
                for s in 0 ..< batch.active[t] {
                    let e = batch.sentences[s], at = position(t, length: e.words.count)
                    let row = dp + batch.row(step: t, sentence: s) * xw
                    addExact(n: c.wordDim, row, grad + layout.words + Int(e.words[at]) * c.wordDim)
                    addExact(
                        n: c.suffixDim, row + c.wordDim,
                        grad + layout.suffixes + Int(e.suffixes[at]) * c.suffixDim)
                    addExact(
                        n: c.shapeDim, row + c.wordDim + c.suffixDim,
                        grad + layout.shapes + Int(e.shapes[at]) * c.shapeDim)
                }
            }
        }
    }
}

extension LSTMPass {
    /// For each row (t, s) of this pass, `body(row, at)` with `at` the row of the position it
    /// reads in the forward pass's order (the order of `CharacterEncoder`'s rows).
    @inline(__always)
    fileprivate func forEachInputRow(_ batch: SentenceBatch, _ body: (Int, Int) -> Void) {
        for t in 0 ..< batch.steps {
            for s in 0 ..< batch.active[t] {
                let at = position(t, length: batch.sentences[s].words.count)
                body(batch.row(step: t, sentence: s), batch.row(step: at, sentence: s))
            }
        }
    }
}

/// Makes `a` hold `n` elements (zeros where new, or everywhere when `zeroed`), keeping its storage.
@inline(__always)
func resize<T: ModelScalar>(_ a: inout [T], _ n: Int, zeroed: Bool = false) {
    if a.count != n {
        if a.count > n {
            a.removeLast(a.count - n)
        } else {
            a.append(contentsOf: repeatElement(0, count: n - a.count))
        }
    }
    if zeroed { a.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
}

/// A dropout rate and the generator of its masks.
struct Dropping {
    var rate: Double
    var random: SplitMix64

    /// `count` values, each 0 with probability `rate`, else 1/(1 − rate).
    mutating func mask<T: ModelScalar>(count: Int) -> [T] {
        let kept = T(1 / (1 - rate))
        return (0 ..< count).map { _ in random.uniform() < rate ? 0 : kept }
    }
}

/// a[i] *= m[i]
func multiply<T: ModelScalar>(_ a: inout [T], by m: [T]) {
    precondition(a.count == m.count)
    for i in a.indices { a[i] *= m[i] }
}
