import Foundation
import Testing
@testable import SentreeCore

/// The Float softmax of training and evaluation (a SIMD exp) against libm in Double.
@Suite struct SoftmaxKernelTests {
    @Test func fastExpIsWithinAFewUlpOfLibm() {
        var worst = 0.0
        var x: Float = -87
        while x <= 0 {
            var v = SIMD16<Float>()
            for l in 0 ..< 16 { v[l] = x + Float(l) * 1e-3 }
            let e = fastExp(v)
            for l in 0 ..< 16 {
                let exact = Foundation.exp(Double(v[l]))
                worst = max(worst, abs(Double(e[l]) - exact) / exact)
            }
            x += 0.0371
        }
        #expect(worst < 4e-7, "worst relative error \(worst)")
        // Far below the normal range it saturates at a tiny positive value, never NaN or ∞.
        let tiny = fastExp(SIMD16(repeating: -1e6))
        #expect(tiny[0] >= 0 && tiny[0] < 1e-37)
    }

    @Test func softmaxRowMatchesDoubleAndKeepsPadsZero() {
        var g = SplitMix64(seed: 5)
        for classes in [2, 5, 16] {
            let lanes = ClassLanes(classes: classes)
            for trial in 0 ..< 200 {
                var z = [Float](repeating: 0, count: 16)
                // Ordinary logits, wide ones, and a diverged row (the libm fallback).
                let spread = trial < 100 ? 3.0 : trial < 190 ? 40 : 1e8
                for c in 0 ..< classes { z[c] = Float(g.normal() * spread) }
                let logits = z.prefix(classes).map(Double.init)
                let label = UInt8(trial % (classes + 1))  // `classes` means unlabelled
                // z − max as Float rounds it: the input error no exp can undo.
                let shifted = z.prefix(classes).map { Double($0 - z.prefix(classes).max()!) }
                let loss = z.withUnsafeMutableBufferPointer {
                    softmaxRow($0.baseAddress!, lanes, label: label)
                }
                let top = logits.max()!
                let total = logits.reduce(0.0) { $0 + Foundation.exp($1 - top) }
                let shiftedTotal = shifted.reduce(0.0) { $0 + Foundation.exp($1) }
                for c in 0 ..< classes {
                    let p = Foundation.exp(shifted[c]) / shiftedTotal
                    // Relative where p is a normal Float; below that, Float has no digits left.
                    #expect(abs(Double(z[c]) - p) < 1e-6 * p + 1e-36)
                }
                #expect(z[classes...].allSatisfy { $0 == 0 })
                let expected = Int(label) < classes ? Foundation.log(total) + top - logits[Int(label)] : 0
                #expect(abs(Double(loss) - expected) < 1e-5 * max(1, abs(expected)))
            }
        }
    }

    /// Two rows through `softmaxPair` give the bits of each row through `softmaxRow`,
    /// including a diverged row beside an ordinary one (both then take the fallback).
    @Test func softmaxPairMatchesTwoSingleRowsBitForBit() {
        var g = SplitMix64(seed: 9)
        for classes in [2, 5, 8] {
            let lanes = ClassLanes(classes: classes)
            for trial in 0 ..< 100 {
                var pair = [Float](repeating: 0, count: 32)
                for c in 0 ..< classes {
                    pair[c] = Float(g.normal() * (trial % 10 == 9 ? 1e8 : 4))
                    pair[16 + c] = Float(g.normal() * 4)
                }
                var first = Array(pair[0 ..< 16]), second = Array(pair[16 ..< 32])
                let labels = (UInt8(trial % (classes + 1)), UInt8((trial / 3) % (classes + 1)))
                let (l0, l1) = pair.withUnsafeMutableBufferPointer {
                    softmaxPair($0.baseAddress!, lanes, labels: labels)
                }
                let s0 = first.withUnsafeMutableBufferPointer {
                    softmaxRow($0.baseAddress!, lanes, label: labels.0)
                }
                let s1 = second.withUnsafeMutableBufferPointer {
                    softmaxRow($0.baseAddress!, lanes, label: labels.1)
                }
                #expect(l0.bitPattern == s0.bitPattern && l1.bitPattern == s1.bitPattern)
                #expect(pair.map(\.bitPattern) == (first + second).map(\.bitPattern))
            }
        }
    }
}
