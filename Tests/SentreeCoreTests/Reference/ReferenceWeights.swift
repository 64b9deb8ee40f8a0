@testable import SentreeCore
/// Padded copies of rnn/rnn2's dense weights for the per-node reference (`TreeWorkspace`).
///
/// The canonical parameters stay in one flat buffer in `ParameterLayout` order (what the
/// optimizer updates, the gradient check perturbs and checkpoints store). After every update
/// a new immutable `ReferenceWeights` is built from them (~10 KB at d=30): padded to 16 lanes
/// and, where a kernel wants the column form, transposed. Being immutable, one value is read
/// by every worker thread at once. `L` is not packed: a leaf copies its row on demand.
///
/// Shapes (dp = padded d, mp = padded m, op = padded output width, C = classes):
///   WT  [2d × dp]  W transposed: row j is input j (0..<d left child, d..<2d right child)
///   Wp  [d × 2dp]  W row-major, each half padded: [W_left[i,:] pad | W_right[i,:] pad]
///   b   [dp]
///   W2T [d × mp]   W2 transposed (rnn2)          W2p [m × dp]  W2 row-major padded (rnn2)
///   b2  [mp]                                      Up  [C × op]  U row-major padded
///   bs  [C]
struct ReferenceWeights<T: ModelScalar>: Sendable {
    let layout: ParameterLayout
    let d: Int, m: Int, classes: Int
    let dp: Int, mp: Int, op: Int
    let storage: [T]
    let offsets: [Int]  // WT, Wp, b, W2T, W2p, b2, Up, bs

    /// Packs the dense tensors of `params` (canonical layout).
    init<S: BinaryFloatingPoint>(layout: ParameterLayout, parameters params: UnsafePointer<S>) {
        self.layout = layout
        let cfg = layout.config
        let d = cfg.dim, m = cfg.kind == .rnn2 ? cfg.middle : 0, C = cfg.classes
        let dp = padded(d), mp = padded(m), op = cfg.kind == .rnn2 ? mp : dp
        self.d = d; self.m = m; classes = C; self.dp = dp; self.mp = mp; self.op = op
        let sizes = [2 * d * dp, d * 2 * dp, dp, d * mp, m * dp, mp, C * op, padded(C)]
        var offs: [Int] = []
        var total = 0
        for s in sizes { offs.append(total); total += s }
        offsets = offs
        var s = [T](repeating: 0, count: total)
        let (WT, Wp, b, W2T, W2p, b2, Up, bs) = (
            offs[0], offs[1], offs[2], offs[3], offs[4], offs[5], offs[6], offs[7]
        )
        let w = params + layout.W.offset
        for i in 0 ..< d {
            for j in 0 ..< 2 * d {
                let v = T(w[i * 2 * d + j])
                s[WT + j * dp + i] = v
                s[Wp + i * 2 * dp + (j < d ? j : dp + j - d)] = v
            }
            s[b + i] = T(params[layout.b.offset + i])
        }
        if let W2 = layout.W2, let B2 = layout.b2 {
            for k in 0 ..< m {
                for j in 0 ..< d {
                    let v = T(params[W2.offset + k * d + j])
                    s[W2T + j * mp + k] = v
                    s[W2p + k * dp + j] = v
                }
                s[b2 + k] = T(params[B2.offset + k])
            }
        }
        let o = cfg.outputWidth
        for c in 0 ..< C {
            for j in 0 ..< o { s[Up + c * op + j] = T(params[layout.U.offset + c * o + j]) }
            s[bs + c] = T(params[layout.bs.offset + c])
        }
        storage = s
    }

    /// Typed views of the packed tensors, valid inside `body`.
    func withPointers<R>(_ body: (ReferencePointers<T>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress!
            return try body(
                ReferencePointers(
                    WT: p + offsets[0], Wp: p + offsets[1], b: p + offsets[2], W2T: p + offsets[3],
                    W2p: p + offsets[4], b2: p + offsets[5], Up: p + offsets[6], bs: p + offsets[7]))
        }
    }
}

/// Raw pointers into a `ReferenceWeights` (see its shape legend).
struct ReferencePointers<T: ModelScalar> {
    let WT: UnsafePointer<T>, Wp: UnsafePointer<T>, b: UnsafePointer<T>
    let W2T: UnsafePointer<T>, W2p: UnsafePointer<T>, b2: UnsafePointer<T>
    let Up: UnsafePointer<T>, bs: UnsafePointer<T>
}
