import Dispatch

/// Measures this machine's FP32 FMA peak, so speed can be reported as a fraction of it.
///
/// Twelve independent 8-wide FMA chains per thread (AVX2 has 16 registers and FMA latency ×
/// throughput is about 8 on current cores), all in registers: nothing but arithmetic.
public enum PeakProbe {
    /// GFLOP/s of `threads` threads running the probe for about `seconds` (an FMA is 2 FLOPs).
    public static func gflops(threads: Int, seconds: Double = 0.3) -> Double {
        // Calibrate the iteration count on one thread, then time the real run.
        var iterations = 1 << 16
        while true {
            let start = DispatchTime.now()
            _ = run(iterations)
            let t = start.secondsUntilNow
            if t > 0.02 { iterations = Int(Double(iterations) * seconds / t); break }
            iterations *= 4
        }
        let n = iterations
        let start = DispatchTime.now()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in _ = run(n) }
        let elapsed = start.secondsUntilNow
        return Double(threads) * Double(n) * 12 * 8 * 2 / elapsed / 1e9
    }

    @inline(never)
    static func run(_ iterations: Int) -> Float {
        let a = SIMD8<Float>(repeating: 0.999_999), b = SIMD8<Float>(repeating: 1e-7)
        var c0 = SIMD8<Float>(repeating: 1), c1 = c0 + 1, c2 = c0 + 2, c3 = c0 + 3, c4 = c0 + 4, c5 = c0 + 5
        var c6 = c0 + 6, c7 = c0 + 7, c8 = c0 + 8, c9 = c0 + 9, c10 = c0 + 10, c11 = c0 + 11
        for _ in 0 ..< iterations {
            c0 = c0.addingProduct(a, b); c1 = c1.addingProduct(a, b); c2 = c2.addingProduct(a, b)
            c3 = c3.addingProduct(a, b); c4 = c4.addingProduct(a, b); c5 = c5.addingProduct(a, b)
            c6 = c6.addingProduct(a, b); c7 = c7.addingProduct(a, b); c8 = c8.addingProduct(a, b)
            c9 = c9.addingProduct(a, b); c10 = c10.addingProduct(a, b); c11 = c11.addingProduct(a, b)
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).sum()
    }
}
