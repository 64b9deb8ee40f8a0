import Testing
@testable import SentreeCore

/// `gemm` against a scalar loop with the same fused multiply-adds in the same order, so the
/// results must agree bit for bit: every row count the blocking treats differently (blocks
/// of six, tails of one to five, chunks of 24 and what is left of them), both operand forms.
struct GEMMTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 11, 23, 24, 25, 29, 30, 31, 53])
    func matchesScalarFusedSums(m: Int) {
        var g = SplitMix64(seed: UInt64(m))
        // n = 8 and 24: 8-column strips, as the softmax's products run.
        for (n, k) in [(16, 1), (32, 7), (48, 30), (8, 5), (24, 30)] {
            for transposed in [false, true] {
                // A(i, t) = a[i·rowStride + t·columnStride]: [m × k] row-major, or stored [k × m].
                let (rowStride, columnStride) = transposed ? (1, m) : (k, 1)
                let a = (0 ..< m * k).map { _ in g.normal() }
                let ldb = n + 16, ldc = n + 32  // strides wider than the product, as in the engine
                let b = (0 ..< k * ldb).map { _ in g.normal() }
                let c0 = (0 ..< m * ldc).map { _ in g.normal() }
                var expected = c0
                for i in 0 ..< m {
                    for j in 0 ..< n {
                        var sum = c0[i * ldc + j]
                        for t in 0 ..< k {
                            sum = sum.addingProduct(a[i * rowStride + t * columnStride], b[t * ldb + j])
                        }
                        expected[i * ldc + j] = sum
                    }
                }
                var c = c0
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                            if n % 16 == 0 {
                                gemm(
                                    m: m, n: n, k: k, a: a, rowStride: rowStride, columnStride: columnStride,
                                    b: b, ldb: ldb, c: c, ldc: ldc)
                            } else {
                                blockedProduct(
                                    SIMD8<Double>.self, m: m, n: n, k: k, a: a, rowStride: rowStride,
                                    columnStride: columnStride, b: b, ldb: ldb, c: c, ldc: ldc)
                            }
                        }
                    }
                }
                // Columns n..<ldc are outside the product and must be untouched.
                #expect(c == expected, "m \(m) n \(n) k \(k) transposed \(transposed)")
            }
        }
    }
}
