import RealModule

/// SIMD kernels over flat buffers whose lengths are multiples of `laneWidth`.
///
/// Every vector the models touch is padded to a multiple of 16 scalars with zeros, so the
/// kernels have no scalar tails. Loads and stores go through raw pointers (`loadUnaligned`),
/// which is the defined way to view a `T` buffer as `SIMD16<T>` chunks.

/// Scalars the models run in: Float for training, Double for the gradient check.
public typealias ModelScalar = BinaryFloatingPoint & SIMDScalar & Real & Sendable

/// Number of scalars in one SIMD chunk; every padded width is a multiple of it.
public let laneWidth = 16

/// Rounds `n` up to a multiple of `laneWidth`.
@inlinable public func padded(_ n: Int) -> Int { (n + laneWidth - 1) / laneWidth * laneWidth }

@inlinable @inline(__always)
func load<T: ModelScalar>(_ p: UnsafePointer<T>, _ i: Int) -> SIMD16<T> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<T>.self)
}

@inlinable @inline(__always)
func load<T: ModelScalar>(_ p: UnsafeMutablePointer<T>, _ i: Int) -> SIMD16<T> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<T>.self)
}

@inlinable @inline(__always)
func store<T: ModelScalar>(_ v: SIMD16<T>, _ p: UnsafeMutablePointer<T>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<T>.self)
}

/// y = bias + Σ_j x[j] · A[j, :]      A: [k × n] row-major, x: [k], bias, y: [n]  (`bias` may be `y`)
///
/// The column form (one broadcast-FMA per input, see `accumulateRows`) keeps the outputs in
/// registers.
@inlinable
func affineColumns<T: ModelScalar>(
    k: Int, n: Int, a: UnsafePointer<T>, x: UnsafePointer<T>,
    bias: UnsafePointer<T>, y: UnsafeMutablePointer<T>
) {
    if bias != UnsafePointer(y) { y.update(from: bias, count: n) }
    accumulateRows(r: k, n: n, stride: n, a: a, s: x, y: y)
}

/// y += Σ_i s[i] · A[i, 0..<n]      A: [r × stride] row-major, s: [r], y: [n]
///
/// Two accumulators over even/odd rows halve the FMA dependency chain.
@inlinable
func accumulateRows<T: ModelScalar>(
    r: Int, n: Int, stride: Int, a: UnsafePointer<T>, s: UnsafePointer<T>, y: UnsafeMutablePointer<T>
) {
    var c = 0
    while c < n {
        var acc0 = load(y, c)
        var acc1 = SIMD16<T>()
        var i = 0
        while i + 1 < r {
            acc0 = acc0.addingProduct(SIMD16(repeating: s[i]), load(a, i * stride + c))
            acc1 = acc1.addingProduct(SIMD16(repeating: s[i + 1]), load(a, (i + 1) * stride + c))
            i += 2
        }
        if i < r { acc0 = acc0.addingProduct(SIMD16(repeating: s[i]), load(a, i * stride + c)) }
        store(acc0 + acc1, y, c)
        c += laneWidth
    }
}

/// y += alpha · x      x, y: [n]
@inlinable @inline(__always)
func axpy<T: ModelScalar>(n: Int, alpha: T, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>) {
    let a = SIMD16(repeating: alpha)
    var c = 0
    while c < n {
        store(load(y, c).addingProduct(a, load(x, c)), y, c)
        c += laneWidth
    }
}

/// A[j, :] += x[j] · v for every j      A: [k × n] row-major, x: [k], v: [n]  (outer product)
@inlinable
func addOuter<T: ModelScalar>(
    k: Int, n: Int, x: UnsafePointer<T>, v: UnsafePointer<T>, a: UnsafeMutablePointer<T>
) {
    for j in 0 ..< k where x[j] != 0 {
        axpy(n: n, alpha: x[j], x: v, y: a + j * n)
    }
}

/// A[j, :] += Σ_t X_t[j] · V_t for every j, where X_t = x + xIndex[t]·xStride and
/// V_t = v + vIndex[t]·vStride.      A: [k × n] row-major, X_t: [k], V_t: [n]
///
/// The sum of a whole tree's outer products at once: four rows of A stay in registers while
/// the terms stream past, so A is loaded and stored once per tree instead of once per node.
@inlinable
func addOuterSum<T: ModelScalar>(
    k: Int, n: Int, count: Int,
    x: UnsafePointer<T>, xStride: Int, xIndex: UnsafePointer<Int32>,
    v: UnsafePointer<T>, vStride: Int, vIndex: UnsafePointer<Int32>,
    a: UnsafeMutablePointer<T>
) {
    guard count > 0 else { return }
    var c = 0
    while c < n {
        var j = 0
        while j + 4 <= k {
            var a0 = load(a, j * n + c), a1 = load(a, (j + 1) * n + c)
            var a2 = load(a, (j + 2) * n + c), a3 = load(a, (j + 3) * n + c)
            for t in 0 ..< count {
                let vt = load(v + Int(vIndex[t]) * vStride, c)
                let xt = x + Int(xIndex[t]) * xStride + j
                a0 = a0.addingProduct(SIMD16(repeating: xt[0]), vt)
                a1 = a1.addingProduct(SIMD16(repeating: xt[1]), vt)
                a2 = a2.addingProduct(SIMD16(repeating: xt[2]), vt)
                a3 = a3.addingProduct(SIMD16(repeating: xt[3]), vt)
            }
            store(a0, a, j * n + c); store(a1, a, (j + 1) * n + c)
            store(a2, a, (j + 2) * n + c); store(a3, a, (j + 3) * n + c)
            j += 4
        }
        while j < k {
            var a0 = load(a, j * n + c)
            for t in 0 ..< count {
                a0 = a0.addingProduct(
                    SIMD16(repeating: x[Int(xIndex[t]) * xStride + j]),
                    load(v + Int(vIndex[t]) * vStride, c))
            }
            store(a0, a, j * n + c)
            j += 1
        }
        c += laneWidth
    }
}

/// Σ x[i]·y[i]      x, y: [n]
@inlinable @inline(__always)
func dot<T: ModelScalar>(n: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>) -> T {
    var acc = SIMD16<T>()
    var c = 0
    while c < n {
        acc = acc.addingProduct(load(x, c), load(y, c))
        c += laneWidth
    }
    return acc.sum()
}

/// x = max(x, 0)      x: [n]
@inlinable @inline(__always)
func reluInPlace<T: ModelScalar>(n: Int, _ x: UnsafeMutablePointer<T>) {
    if T.self == Float.self {
        reluBits(n: n, UnsafeMutableRawPointer(x), SIMD16<Int32>.self, shift: 31)
    } else if T.self == Double.self {
        reluBits(n: n, UnsafeMutableRawPointer(x), SIMD16<Int64>.self, shift: 63)
    } else {
        let zero = SIMD16<T>()
        var c = 0
        while c < n {
            store(pointwiseMax(load(x, c), zero), x, c)
            c += laneWidth
        }
    }
}

/// e = e where h > 0, else 0 (the ReLU derivative, read off the activation)      e, h: [n]
///
/// On the sign bits, as integers: Swift's SIMD comparisons build their mask one lane at a
/// time, which made this mask the most expensive step of backward. For an activation h ≥ 0
/// (or −0), "h > 0" is "h's bits, as a signed integer, are > 0", i.e. the sign bit of
/// (−b) & ~b.
@inlinable @inline(__always)
func maskByPositive<T: ModelScalar>(n: Int, _ e: UnsafeMutablePointer<T>, _ h: UnsafePointer<T>) {
    if T.self == Float.self {
        maskByPositiveBits(
            n: n, UnsafeMutableRawPointer(e), UnsafeRawPointer(h), SIMD16<Int32>.self, shift: 31)
    } else if T.self == Double.self {
        maskByPositiveBits(
            n: n, UnsafeMutableRawPointer(e), UnsafeRawPointer(h), SIMD16<Int64>.self, shift: 63)
    } else {
        let zero = SIMD16<T>()
        var c = 0
        while c < n {
            store(load(e, c).replacing(with: zero, where: load(h, c) .<= zero), e, c)
            c += laneWidth
        }
    }
}

@inlinable @inline(__always)
func maskByPositiveBits<V: SIMD>(
    n: Int, _ e: UnsafeMutableRawPointer, _ h: UnsafeRawPointer, _: V.Type,
    shift: V.Scalar
) where V.Scalar: FixedWidthInteger & SignedInteger {
    let size = MemoryLayout<V.Scalar>.size, zero = V()
    var c = 0
    while c < n {
        let bits = h.loadUnaligned(fromByteOffset: c * size, as: V.self)
        let keep = ((zero &- bits) & ~bits) &>> V(repeating: shift)
        let v = e.loadUnaligned(fromByteOffset: c * size, as: V.self)
        e.storeBytes(of: v & keep, toByteOffset: c * size, as: V.self)
        c += laneWidth
    }
}

/// x = max(x, 0), on the sign bit for Float and Double (see `maskByPositive`)      x: [n]
@inlinable @inline(__always)
func reluBits<V: SIMD>(n: Int, _ x: UnsafeMutableRawPointer, _: V.Type, shift: V.Scalar)
where V.Scalar: FixedWidthInteger & SignedInteger {
    let size = MemoryLayout<V.Scalar>.size
    var c = 0
    while c < n {
        let v = x.loadUnaligned(fromByteOffset: c * size, as: V.self)
        x.storeBytes(of: v & ~(v &>> V(repeating: shift)), toByteOffset: c * size, as: V.self)
        c += laneWidth
    }
}

/// x = 0      x: [n]
@inlinable @inline(__always)
func zero<T: ModelScalar>(n: Int, _ x: UnsafeMutablePointer<T>) {
    x.update(repeating: 0, count: n)
}

/// y = x      x, y: [n] (a few chunks: cheaper inline than a call to memmove)
@inlinable @inline(__always)
func copyVector<T: ModelScalar>(n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    var c = 0
    while c < n {
        store(load(x, c), y, c)
        c += laneWidth
    }
}

/// y[i] += x[i] for i < n, any n.
@inline(__always)
func addExact<T: ModelScalar>(n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    var j = 0
    while j + laneWidth <= n { store(load(y, j) + load(x, j), y, j); j += laneWidth }
    while j < n { y[j] += x[j]; j += 1 }
}

/// y[i] *= x[i] for i < n, any n (a dropout mask x on a vector y).
@inline(__always)
func multiplyExact<T: ModelScalar>(n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    var j = 0
    while j + laneWidth <= n { store(load(y, j) * load(x, j), y, j); j += laneWidth }
    while j < n { y[j] *= x[j]; j += 1 }
}

/// y[i] = x[i] for i < n, any n.
@inline(__always)
func copyExact<T: ModelScalar>(n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    var j = 0
    while j + laneWidth <= n { store(load(x, j), y, j); j += laneWidth }
    while j < n { y[j] = x[j]; j += 1 }
}

/// dst[j·dstStride + i] = src[i·srcStride + j] for i < rows, j < cols, in 16 × 16 tiles, so
/// reads and writes both move whole cache lines (packing and exporting run every minibatch).
func transpose<T>(
    rows: Int, cols: Int, from src: UnsafePointer<T>, stride srcStride: Int,
    to dst: UnsafeMutablePointer<T>, stride dstStride: Int
) {
    for i0 in stride(from: 0, to: rows, by: 16) {
        for j0 in stride(from: 0, to: cols, by: 16) {
            for j in j0 ..< min(j0 + 16, cols) {
                for i in i0 ..< min(i0 + 16, rows) { dst[j * dstStride + i] = src[i * srcStride + j] }
            }
        }
    }
}
