/// The classifier's hidden layer (`--classifier-hidden H`), between every node's output vector
/// and the softmax, the same for every model:
///
///     a = Wc õ + bc,   q = tanh(a),   z = U q + bs
///
/// õ is the node's output vector as the classifier reads it (masked under `--dropout`).
/// tanh rather than ReLU: no unit can die, and the objective stays smooth, so the
/// finite-difference check needs no step that avoids a kink. Backward, given the error at
/// q (e_q = Uᵀδ3, from the engine):
///
///     δa = e_q ⊙ (1 − q²)          (tanh′(a) = 1 − tanh²(a), read off the activation)
///     ∂Wc += δa õᵀ,   ∂bc += δa,   error at õ = Wcᵀ δa
///
/// Derivation beside the models' in docs/models/README.md ("The classifier").
///
/// Packed weights (op = padded(o), hp = padded(H)):
///   WcT [op × hp]  Wc transposed (the forward product)
///   Wcp [H × op]   Wc row-major (the error at õ)          bc [hp]
struct HiddenLayerWeights<T: ModelScalar>: Sendable {
    let storage: [T]
    let op: Int, hp: Int, H: Int

    init<S: BinaryFloatingPoint>(layout: ParameterLayout, parameters p: UnsafePointer<S>) {
        guard let Wc = layout.Wc, let bc = layout.bc else { preconditionFailure("no hidden layer") }
        let o = layout.config.outputWidth
        H = Wc.shape[0]; op = padded(o); hp = padded(H)
        var s = [T](repeating: 0, count: op * hp + H * op + hp)
        for i in 0 ..< H {
            for j in 0 ..< o {
                let v = T(p[Wc.offset + i * o + j])
                s[j * hp + i] = v
                s[op * hp + i * op + j] = v
            }
            s[op * hp + H * op + i] = T(p[bc.offset + i])
        }
        storage = s
    }

    func withPointers<R>(
        _ body: (_ WcT: UnsafePointer<T>, _ Wcp: UnsafePointer<T>, _ bc: UnsafePointer<T>) -> R
    ) -> R {
        withThreeBlocks(storage, op * hp, H * op, body)
    }
}

/// One worker's buffers and gradients of the hidden layer (shapes as in `HiddenLayerWeights`;
/// R rows):  Q [R × hp] q at every row,  EQ [R × hp] the error at q, then δa.
/// Gradients: gWcT [op × hp] (as WcT), gbc [hp].
final class HiddenLayer<T: ModelScalar> {
    let o: Int, op: Int, H: Int, hp: Int
    private var capacity = 0
    var Q: UnsafeMutablePointer<T>, EQ: UnsafeMutablePointer<T>
    let gWcT: UnsafeMutablePointer<T>, gbc: UnsafeMutablePointer<T>

    init(layout: ParameterLayout, hidden: Int, gradients: Bool) {
        o = layout.config.outputWidth; op = padded(o); H = hidden; hp = padded(H)
        let g = gradients ? 1 : 0
        gWcT = zeroed(g * op * hp); gbc = zeroed(g * hp)
        Q = zeroed(0); EQ = zeroed(0)
    }

    deinit {
        for p in [Q, EQ, gWcT, gbc] { p.deallocate() }
    }

    func reserve(rows: Int) {
        guard rows > capacity else { return }
        Q.deallocate(); EQ.deallocate()
        capacity = rows
        Q = zeroed(rows * hp); EQ = zeroed(rows * hp)
    }

    /// Q = tanh(õ·Wcᵀ + bc) for `rows` rows of õ [rows × op]; returns Q. Pads stay 0.
    func forward(rows R: Int, input: UnsafePointer<T>, w: HiddenLayerWeights<T>) -> UnsafeMutablePointer<T> {
        w.withPointers { WcT, _, bc in
            broadcastRows(m: R, n: hp, v: bc, y: Q, ldy: hp)
            gemm(m: R, n: hp, k: o, a: input, rowStride: op, columnStride: 1, b: WcT, ldb: hp, c: Q, ldc: hp)
        }
        tanhInPlace(rows: R, width: H, stride: hp, Q)
        return Q
    }

    /// Given the error at q in `EQ`: δa = EQ ⊙ (1 − q²) (in place), ∂Wcᵀ += õᵀ·δa,
    /// ∂bc += Σ δa, and the error at õ, δa·Wc, written to `error` [rows × op].
    func backward(
        rows R: Int, input: UnsafePointer<T>, error: UnsafeMutablePointer<T>, w: HiddenLayerWeights<T>
    ) {
        multiplyByTanhDerivative(n: R * hp, EQ, Q)
        addColumnSums(m: R, n: hp, x: EQ, ldx: hp, y: gbc)
        gemm(m: o, n: hp, k: R, a: input, rowStride: 1, columnStride: op, b: EQ, ldb: hp, c: gWcT, ldc: hp)
        zero(n: R * op, error)
        w.withPointers { _, Wcp, _ in
            gemm(m: R, n: op, k: H, a: EQ, rowStride: hp, columnStride: 1, b: Wcp, ldb: op, c: error, ldc: op)
        }
    }

    func clearGradients() {
        zero(n: op * hp, gWcT); zero(n: hp, gbc)
    }

    /// Writes ∂Wc and ∂bc into `grad`, indexed like the full parameter vector.
    func exportGradient(into grad: UnsafeMutablePointer<T>, layout: ParameterLayout) {
        guard let Wc = layout.Wc, let bc = layout.bc else { return }
        for i in 0 ..< H {
            for j in 0 ..< o { grad[Wc.offset + i * o + j] = gWcT[j * hp + i] }
            grad[bc.offset + i] = gbc[i]
        }
    }
}
