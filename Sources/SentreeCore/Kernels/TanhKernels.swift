import RealModule

/// y = tanh(y) on the first `width` columns of each of `rows` rows (pads stay 0 = tanh 0).
///
/// Float (training) runs `rationalTanh` on whole chunks, about 40× faster than `tanhf` per
/// element; other scalars (the Float64 gradient check and reference tests) stay exact.
@inlinable
func tanhInPlace<T: ModelScalar>(rows: Int, width: Int, stride: Int, _ y: UnsafeMutablePointer<T>) {
    if T.self == Float.self {
        let f = UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
        for r in 0 ..< rows {
            var c = 0
            while c < width {
                store(rationalTanh(load(f + r * stride, c)), f + r * stride, c)
                c += laneWidth
            }
        }
    } else {
        for r in 0 ..< rows {
            let p = y + r * stride
            for i in 0 ..< width { p[i] = T.tanh(p[i]) }
        }
    }
}

/// tanh for Float lanes: Eigen's [13/6] rational approximation on x clamped to ±7.905 (where
/// it reaches ±1 in Float). Absolute error below 3e-7 (measured over [−12, 12]), a few ulps.
@inlinable @inline(__always)
func rationalTanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
    func c(_ a: Float) -> SIMD16<Float> { SIMD16(repeating: a) }
    let limit: Float = 7.90531110763549805
    let v = pointwiseMax(pointwiseMin(x, c(limit)), c(-limit))
    let x2 = v * v
    var p = c(2.00018790482477e-13).addingProduct(c(-2.76076847742355e-16), x2)
    p = c(-8.60467152213735e-11).addingProduct(p, x2)
    p = c(5.12229709037114e-08).addingProduct(p, x2)
    p = c(1.48572235717979e-05).addingProduct(p, x2)
    p = c(6.37261928875436e-04).addingProduct(p, x2)
    p = c(4.89352455891786e-03).addingProduct(p, x2)
    var q = c(1.18534705686654e-04).addingProduct(c(1.19825839466702e-06), x2)
    q = c(2.26843463243900e-03).addingProduct(q, x2)
    q = c(4.89352518554385e-03).addingProduct(q, x2)
    return p * v / q
}

/// e = e ∘ (1 − h²), the derivative of h = tanh(a) read off the activation      e, h: [n]
@inlinable @inline(__always)
func multiplyByTanhDerivative<T: ModelScalar>(n: Int, _ e: UnsafeMutablePointer<T>, _ h: UnsafePointer<T>) {
    let one = SIMD16<T>(repeating: 1)
    var c = 0
    while c < n {
        let hv = load(h, c)
        store(load(e, c) * (one - hv * hv), e, c)
        c += laneWidth
    }
}
