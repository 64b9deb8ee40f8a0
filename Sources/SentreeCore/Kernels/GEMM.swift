/// The engine's one matrix product, register-blocked over SIMD16 chunks.
///
///     C[i, :] += Σ_t A(i, t) · B[t, :]      for i < m, over n columns (a multiple of 16)
///     A(i, t) = a[i · rowStride + t · columnStride]      B: [k × ldb], C: [m × ldc]
///
/// With `columnStride: 1` this is C += A·B; with `rowStride: 1` it is C += Aᵀ·B, the form of
/// every weight gradient (Σ over a level's nodes of δ xᵀ). Six rows of C stay in registers
/// (12 of the 16 AVX2 registers for Float) while B's rows stream past, so each B chunk that
/// is loaded feeds six FMAs and the FMA chains are independent enough to keep both units busy.
///
/// Rows go in chunks of `chunkRows`, and within a chunk column strip by column strip: a
/// strip of B (k × 16) then stays in the L1 cache for every row block of the chunk. Taken
/// row block by row block, all of B streamed past once per six rows, and at d=300 (W is
/// 740 KB, beside its gradient and the level's buffers) it came from beyond L2.
/// Each C element still sums over t in the same order, so the blocking changes no bits.
@inlinable
func gemm<T: ModelScalar>(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, rowStride: Int, columnStride: Int,
    b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int
) {
    blockedProduct(
        SIMD16<T>.self, m: m, n: n, k: k, a: a, rowStride: rowStride, columnStride: columnStride,
        b: b, ldb: ldb, c: c, ldc: ldc)
}

/// `gemm` over strips as wide as `V` (n a multiple of its lanes): SIMD16 for `gemm`, SIMD8
/// for the softmax's products, whose at most 8 classes would leave half a 16-lane strip zero.
@inlinable
func blockedProduct<T: ModelScalar, V: SIMD>(
    _: V.Type, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, rowStride: Int, columnStride: Int,
    b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int
) where V.Scalar == T {
    guard m > 0, k > 0 else { return }
    @inline(__always) func load(_ p: UnsafePointer<T>, _ i: Int) -> V {
        UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
    }
    @inline(__always) func load(_ p: UnsafeMutablePointer<T>, _ i: Int) -> V { load(UnsafePointer(p), i) }
    @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<T>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
    }
    /// C[i ..< i+6, col ..< col+w] += A(i ..< i+6, :) · B[:, col ..< col+w], w = V.scalarCount
    @inline(__always) func block6(_ i: Int, _ col: Int) {
        let cp = c + i * ldc + col
        var c0 = load(cp, 0), c1 = load(cp, ldc), c2 = load(cp, 2 * ldc)
        var c3 = load(cp, 3 * ldc), c4 = load(cp, 4 * ldc), c5 = load(cp, 5 * ldc)
        var ap = a + i * rowStride, bp = b + col
        for _ in 0 ..< k {
            let bv = load(bp, 0)
            c0 = c0.addingProduct(V(repeating: ap[0]), bv)
            c1 = c1.addingProduct(V(repeating: ap[rowStride]), bv)
            c2 = c2.addingProduct(V(repeating: ap[2 * rowStride]), bv)
            c3 = c3.addingProduct(V(repeating: ap[3 * rowStride]), bv)
            c4 = c4.addingProduct(V(repeating: ap[4 * rowStride]), bv)
            c5 = c5.addingProduct(V(repeating: ap[5 * rowStride]), bv)
            ap += columnStride
            bp += ldb
        }
        store(c0, cp, 0); store(c1, cp, ldc); store(c2, cp, 2 * ldc)
        store(c3, cp, 3 * ldc); store(c4, cp, 4 * ldc); store(c5, cp, 5 * ldc)
    }
    /// The same for the last `rows` (1 to 5) rows. Called with a literal count, so inlining
    /// removes the unused rows: a level of 6q + 5 nodes then ends in one 5-row block, where
    /// blocks of two rows (four FMAs per two B loads) ran at half the speed.
    @inline(__always) func blockRows(_ i: Int, _ col: Int, _ rows: Int) {
        let cp = c + i * ldc + col
        var c0 = load(cp, 0), c1 = V(), c2 = V(), c3 = V(), c4 = V()
        if rows > 1 { c1 = load(cp, ldc) }
        if rows > 2 { c2 = load(cp, 2 * ldc) }
        if rows > 3 { c3 = load(cp, 3 * ldc) }
        if rows > 4 { c4 = load(cp, 4 * ldc) }
        var ap = a + i * rowStride, bp = b + col
        for _ in 0 ..< k {
            let bv = load(bp, 0)
            c0 = c0.addingProduct(V(repeating: ap[0]), bv)
            if rows > 1 { c1 = c1.addingProduct(V(repeating: ap[rowStride]), bv) }
            if rows > 2 { c2 = c2.addingProduct(V(repeating: ap[2 * rowStride]), bv) }
            if rows > 3 { c3 = c3.addingProduct(V(repeating: ap[3 * rowStride]), bv) }
            if rows > 4 { c4 = c4.addingProduct(V(repeating: ap[4 * rowStride]), bv) }
            ap += columnStride
            bp += ldb
        }
        store(c0, cp, 0)
        if rows > 1 { store(c1, cp, ldc) }
        if rows > 2 { store(c2, cp, 2 * ldc) }
        if rows > 3 { store(c3, cp, 3 * ldc) }
        if rows > 4 { store(c4, cp, 4 * ldc) }
    }
    let chunkRows = 24
    var i0 = 0
    while i0 < m {
        let i1 = min(m, i0 + chunkRows)
        var col = 0
        while col < n {
            var i = i0
            while i + 6 <= i1 { block6(i, col); i += 6 }
            switch i1 - i {
            case 5: blockRows(i, col, 5)
            case 4: blockRows(i, col, 4)
            case 3: blockRows(i, col, 3)
            case 2: blockRows(i, col, 2)
            case 1: blockRows(i, col, 1)
            default: break
            }
            col += V.scalarCount
        }
        i0 = i1
    }
}

/// Sums rows into `y`: y += Σ_i X[i, :]      X: [m × ldx], y: [n] (the bias gradients)
@inlinable
func addColumnSums<T: ModelScalar>(m: Int, n: Int, x: UnsafePointer<T>, ldx: Int, y: UnsafeMutablePointer<T>)
{
    var col = 0
    while col < n {
        var acc0 = load(y, col), acc1 = SIMD16<T>()
        var i = 0
        while i + 1 < m {
            acc0 += load(x, i * ldx + col)
            acc1 += load(x, (i + 1) * ldx + col)
            i += 2
        }
        if i < m { acc0 += load(x, i * ldx + col) }
        store(acc0 + acc1, y, col)
        col += laneWidth
    }
}

/// Sets each of `m` rows of Y to `v`:  Y[i, :] = v      Y: [m × ldy], v: [n]
@inlinable
func broadcastRows<T: ModelScalar>(m: Int, n: Int, v: UnsafePointer<T>, y: UnsafeMutablePointer<T>, ldy: Int)
{
    for i in 0 ..< m { copyVector(n: n, v, y + i * ldy) }
}
