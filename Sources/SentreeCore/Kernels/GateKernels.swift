import RealModule

// The gate activations of the Tree-LSTM, one SIMD16 chunk at a time.
//
// Float (training) uses a rational approximation of tanh that is all multiply-adds and one
// division, so a chunk costs a few instructions instead of sixteen libm calls; Double (the
// gradient check and the reference tests) uses libm, so those checks compare exact math.
// σ(x) = ½ + ½·tanh(x/2) in Float; 1 / (1 + e^−x) in Double.

/// tanh of every lane.
@inlinable @inline(__always)
func tanhChunk<T: ModelScalar>(_ v: SIMD16<T>) -> SIMD16<T> {
    if T.self == Float.self {
        return unsafeBitCast(fastTanh(unsafeBitCast(v, to: SIMD16<Float>.self)), to: SIMD16<T>.self)
    }
    var r = SIMD16<T>()
    for l in 0 ..< 16 { r[l] = T.tanh(v[l]) }
    return r
}

/// σ(x) = 1 / (1 + e^−x) of every lane.
@inlinable @inline(__always)
func sigmoidChunk<T: ModelScalar>(_ v: SIMD16<T>) -> SIMD16<T> {
    if T.self == Float.self {
        let t = fastTanh(unsafeBitCast(v, to: SIMD16<Float>.self) * 0.5)
        return unsafeBitCast(0.5 + 0.5 * t, to: SIMD16<T>.self)
    }
    var r = SIMD16<T>()
    for l in 0 ..< 16 { r[l] = 1 / (1 + T.exp(-v[l])) }
    return r
}

/// max(x, 0) of every lane, on the sign bit (SIMD comparisons build masks lane by lane).
@inlinable @inline(__always)
func reluChunk(_ v: SIMD16<Float>) -> SIMD16<Float> {
    let b = unsafeBitCast(v, to: SIMD16<Int32>.self)
    return unsafeBitCast(b & ~(b &>> 31), to: SIMD16<Float>.self)
}

/// tanh in Float to a few ulp: Eigen's odd 13/6 rational minimax fit on [−7.9, 7.9].
///
/// The input is clamped first as x − relu(x − c) + relu(−x − c): exact inside the range
/// (both relus are 0), so small arguments keep their full precision; beyond it the fit would
/// diverge, while tanh(±7.9) already rounds to ±1 within an ulp.
@inlinable @inline(__always)
func fastTanh(_ a: SIMD16<Float>) -> SIMD16<Float> {
    let c: Float = 7.90531110763549805
    let x = a - reluChunk(a - c) + reluChunk(-a - c)
    let x2 = x * x
    // Horner steps as fused multiply-adds: acc ← acc·x² + coefficient.
    @inline(__always) func step(_ acc: SIMD16<Float>, _ coefficient: Float) -> SIMD16<Float> {
        SIMD16(repeating: coefficient).addingProduct(acc, x2)
    }
    var p = step(SIMD16(repeating: -2.76076847742355e-16), 2.00018790482477e-13)
    p = step(p, -8.60467152213735e-11)
    p = step(p, 5.12229709037114e-08)
    p = step(p, 1.48572235717979e-05)
    p = step(p, 6.37261928875436e-04)
    p = step(p, 4.89352455891786e-03)
    var q = step(SIMD16(repeating: 1.19825839466702e-06), 1.18534705686654e-04)
    q = step(q, 2.26843463243900e-03)
    q = step(q, 4.89352518554385e-03)
    return p * x / q
}

/// e^x in Float to about 2 ulp for −10⁶ ≤ x ≤ 0 (the softmax's shifted logits), Cephes'
/// expf: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by a polynomial, 2^n built in the exponent
/// bits. Below −87.3 (where e^x leaves the normal range) the result is e^−87.3; below about
/// −10⁹ the clamp loses the −87.3 to rounding, hence the caller's range check.
@inlinable @inline(__always)
func fastExp(_ a: SIMD8<Float>) -> SIMD8<Float> {
    let low: Float = -87.3365
    // max(a, low) without lane-by-lane comparisons: a + relu(low − a), on the sign bit.
    let under = unsafeBitCast(SIMD8(repeating: low) - a, to: SIMD8<Int32>.self)
    let x = a + unsafeBitCast(under & ~(under &>> 31), to: SIMD8<Float>.self)
    // Adding 1.5·2²³ rounds to an integer, which then sits in the low mantissa bits.
    let magic: Float = 12_582_912
    let t = x * 1.44269504088896341 + magic
    let n = t - magic
    let r = x.addingProduct(n, SIMD8(repeating: -0.693359375)).addingProduct(
        n, SIMD8(repeating: 2.12194440e-4))
    var p = SIMD8<Float>(repeating: 1.9875691500e-4)
    p = SIMD8(repeating: 1.3981999507e-3).addingProduct(p, r)
    p = SIMD8(repeating: 8.3334519073e-3).addingProduct(p, r)
    p = SIMD8(repeating: 4.1665795894e-2).addingProduct(p, r)
    p = SIMD8(repeating: 1.6666665459e-1).addingProduct(p, r)
    p = SIMD8(repeating: 5.0000001201e-1).addingProduct(p, r)
    let er = (r + 1).addingProduct(p, r * r)
    let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- Int32(bitPattern: magic.bitPattern) &+ 127) &<< 23
    return er * unsafeBitCast(bits, to: SIMD8<Float>.self)
}

/// `fastExp` of sixteen lanes, as two halves (the same operations on every lane).
@inlinable @inline(__always)
func fastExp(_ a: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(lowHalf: fastExp(a.lowHalf), highHalf: fastExp(a.highHalf))
}
