import Testing
@testable import SentreeCore

/// The SIMD kernels against plain loops, in Double, on padded widths.
@Suite struct KernelTests {
    func random(_ n: Int, _ g: inout SplitMix64) -> [Double] { (0 ..< n).map { _ in g.normal() } }

    @Test func affineColumnsMatchesLoop() {
        var g = SplitMix64(seed: 1)
        for (k, n) in [(7, 16), (30, 32), (1, 48)] {
            let a = random(k * n, &g), x = random(k, &g), bias = random(n, &g)
            var y = [Double](repeating: 0, count: n)
            affineColumns(k: k, n: n, a: a, x: x, bias: bias, y: &y)
            for c in 0 ..< n {
                let expected = bias[c] + (0 ..< k).reduce(0.0) { $0 + x[$1] * a[$1 * n + c] }
                #expect(abs(y[c] - expected) < 1e-12)
            }
        }
    }

    @Test func accumulateRowsMatchesLoop() {
        var g = SplitMix64(seed: 2)
        for (r, n, stride) in [(5, 16, 16), (30, 32, 64), (3, 16, 48)] {
            let a = random(r * stride, &g), s = random(r, &g), start = random(n, &g)
            var y = start
            accumulateRows(r: r, n: n, stride: stride, a: a, s: s, y: &y)
            for c in 0 ..< n {
                let expected = start[c] + (0 ..< r).reduce(0.0) { $0 + s[$1] * a[$1 * stride + c] }
                #expect(abs(y[c] - expected) < 1e-12)
            }
        }
    }

    @Test func outerProductDotReluAndMask() {
        var g = SplitMix64(seed: 3)
        let k = 4, n = 16
        let x = random(k, &g), v = random(n, &g)
        var a = [Double](repeating: 1, count: k * n)
        addOuter(k: k, n: n, x: x, v: v, a: &a)
        for j in 0 ..< k { for c in 0 ..< n { #expect(abs(a[j * n + c] - (1 + x[j] * v[c])) < 1e-12) } }
        #expect(abs(dot(n: n, v, v) - v.reduce(0) { $0 + $1 * $1 }) < 1e-12)
        var r = v
        reluInPlace(n: n, &r)
        #expect(r == v.map { max($0, 0) })
        var e = x + x + x + x
        maskByPositive(n: n, &e, v)
        #expect(e == zip(x + x + x + x, v).map { $1 > 0 ? $0 : 0 })
    }

    @Test func outerProductSumMatchesLoop() {
        var g = SplitMix64(seed: 4)
        for (k, n) in [(5, 16), (30, 32), (7, 48)] {
            let rows = 9
            let x = random(rows * k, &g), v = random(rows * n, &g), start = random(k * n, &g)
            let xIndex: [Int32] = [3, 0, 8, 3, 5], vIndex: [Int32] = [1, 2, 0, 7, 7]
            var a = start
            addOuterSum(
                k: k, n: n, count: xIndex.count, x: x, xStride: k, xIndex: xIndex,
                v: v, vStride: n, vIndex: vIndex, a: &a)
            for j in 0 ..< k {
                for c in 0 ..< n {
                    let expected =
                        start[j * n + c]
                        + zip(xIndex, vIndex).reduce(0.0) {
                            $0 + x[Int($1.0) * k + j] * v[Int($1.1) * n + c]
                        }
                    #expect(abs(a[j * n + c] - expected) < 1e-12)
                }
            }
        }
    }
}
