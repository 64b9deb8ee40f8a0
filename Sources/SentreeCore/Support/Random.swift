import RealModule

/// Small, fast, seedable generator (SplitMix64) so runs are reproducible on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [-r, r).
    public mutating func symmetric(_ r: Double) -> Double { (2 * uniform() - 1) * r }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * Double.pi * u2)
    }

    /// A generator for stream `k` of `seed`, independent of the others (e.g. one per epoch).
    public static func stream(seed: UInt64, _ k: UInt64) -> SplitMix64 {
        var g = SplitMix64(seed: seed ^ (k &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}
