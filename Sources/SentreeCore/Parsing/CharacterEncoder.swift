/// The parser's character encoder: each word read through its characters by one convolution
/// of width 3 and a max over positions (Ma and Hovy 2016; Kitaev and Klein 2018 use an LSTM
/// instead). It sees spellings that the word list, the three-letter ending and the shape
/// miss: prefixes (`un-`, `over-`), inner hyphens and apostrophes, digits inside a word.
///
/// Shapes (P = the batch's rows, one per framed-sentence position, in the forward LSTM's row
/// order; row r of sentence s at position q is `batch.row(step: q, sentence: s)`; dc the
/// character vector width, C the channels, W all windows of the batch):
///
///     c_0 … c_{n+1}   a word's character ids: word-start mark, n ≥ 1 characters, word-end mark
///     X [W × 3dc]     window w of a word: E[c_w] | E[c_{w+1}] | E[c_{w+2}], w < n
///     A [W × C]       A = X F                     (F: filter [3dc × C])
///     m [P × C]       m[r, k] = max over r's windows w of A[w, k];  a[r, k] = the first such w
///     y [P × C]       y = tanh(m + b)             (b: bias [C]), copied into the LSTM inputs
///
/// Backward, given dy (from both LSTM directions' input gradients):
///
///     dz = dy ⊙ (1 − y²)                          (tanh' from the output)
///     db[k]      += Σ_r dz[r, k]
///     max passes dz to its argmax window only:    dA[w, k] = dz[r, k] if w = a[r, k], else 0
///     dF[:, k]   += X[a[r, k], :] · dz[r, k]      (dF = Xᵀ dA, only non-zero rows of dA)
///     dE[c_{a+j}][e] += F[j·dc + e, k] · dz[r, k] (dX = dA Fᵀ, scattered back to the table)
///
/// The max is flat where two windows tie (identical windows give identical A, so the tie
/// moves together and the derivative is still that of either); the gradient check counts a
/// step that changes an argmax as a kink. Buffers are kept between batches.
final class CharacterEncoder<T: ModelScalar> {
    let dc: Int
    let channels: Int
    var windows: [T] = [], activations: [T] = []
    /// First window of each row, plus the total.
    var windowStart: [Int] = []
    /// The three character ids of each window.
    var windowIDs: [Int32] = []
    var output: [T] = []
    /// a[r, k]: the window (index into all windows) that won row r's max for channel k.
    var argmax: [Int32] = []
    /// Set by the LSTMs' backward passes: ∂loss/∂y.
    var dOutput: [T] = []

    init(config: ParserConfig) {
        dc = config.charDim
        channels = config.charChannels
    }

    func forward(_ batch: SentenceBatch, _ p: UnsafePointer<T>, layout: ParserLayout) {
        let rows = batch.rows, width = 3 * dc, C = channels
        windowStart.removeAll(keepingCapacity: true)
        windowIDs.removeAll(keepingCapacity: true)
        windowStart.append(0)
        forEachRow(batch) { e, q in
            for w in Int(e.characterStart[q]) ..< Int(e.characterStart[q + 1]) - 2 {
                windowIDs.append(e.characters[w]); windowIDs.append(e.characters[w + 1])
                windowIDs.append(e.characters[w + 2])
            }
            windowStart.append(windowIDs.count / 3)
        }
        let total = windowStart[rows]
        resize(&windows, total * width)
        resize(&activations, total * C, zeroed: true)
        resize(&output, rows * C)
        if argmax.count != rows * C { argmax = [Int32](repeating: 0, count: rows * C) }
        windows.withUnsafeMutableBufferPointer { xb in
            for w in 0 ..< total {
                for j in 0 ..< 3 {
                    (xb.baseAddress! + w * width + j * dc).update(
                        from: p + layout.characters + Int(windowIDs[3 * w + j]) * dc, count: dc)
                }
            }
        }
        windows.withUnsafeBufferPointer { xb in
            activations.withUnsafeMutableBufferPointer { ab in
                gemm(
                    m: total, n: C, k: width, a: xb.baseAddress!, rowStride: width, columnStride: 1,
                    b: p + layout.characterFilter, ldb: C, c: ab.baseAddress!, ldc: C)
            }
        }
        activations.withUnsafeBufferPointer { ab in
            output.withUnsafeMutableBufferPointer { yb in
                argmax.withUnsafeMutableBufferPointer { mb in
                    let ap = ab.baseAddress!, yp = yb.baseAddress!, mp = mb.baseAddress!
                    for row in 0 ..< rows {
                        let first = windowStart[row], last = windowStart[row + 1]
                        for k in 0 ..< C {
                            var best = ap[first * C + k], at = first
                            for w in first + 1 ..< last where ap[w * C + k] > best {
                                best = ap[w * C + k]
                                at = w
                            }
                            yp[row * C + k] = best
                            mp[row * C + k] = Int32(at)
                        }
                        var k = 0
                        while k < C {
                            store(
                                tanhChunk(load(yp, row * C + k) + load(p, layout.characterBias + k)), yp,
                                row * C + k)
                            k += laneWidth
                        }
                    }
                }
            }
        }
    }

    /// Adds the encoder's gradient to `grad`, given `dOutput` (see the derivation above).
    func backward(
        _ batch: SentenceBatch, _ p: UnsafePointer<T>, _ grad: UnsafeMutablePointer<T>, layout: ParserLayout
    ) {
        let rows = batch.rows, width = 3 * dc, C = channels
        windows.withUnsafeBufferPointer { xb in
            output.withUnsafeBufferPointer { yb in
                dOutput.withUnsafeBufferPointer { db in
                    let xp = xb.baseAddress!, yp = yb.baseAddress!, dp = db.baseAddress!
                    let filter = p + layout.characterFilter, dFilter = grad + layout.characterFilter
                    for row in 0 ..< rows {
                        for k in 0 ..< C {
                            let y = yp[row * C + k]
                            let dz = dp[row * C + k] * (1 - y * y)
                            grad[layout.characterBias + k] += dz
                            let w = Int(argmax[row * C + k])
                            for i in 0 ..< width { dFilter[i * C + k] += xp[w * width + i] * dz }
                            for j in 0 ..< 3 {
                                let dE = grad + layout.characters + Int(windowIDs[3 * w + j]) * dc
                                for i in 0 ..< dc { dE[i] += filter[(j * dc + i) * C + k] * dz }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `body(sentence, position)` for every row of the batch, in row order.
    @inline(__always)
    private func forEachRow(_ batch: SentenceBatch, _ body: (ParserFeatures.Encoded, Int) -> Void) {
        for t in 0 ..< batch.steps {
            for s in 0 ..< batch.active[t] { body(batch.sentences[s], t) }
        }
    }
}
