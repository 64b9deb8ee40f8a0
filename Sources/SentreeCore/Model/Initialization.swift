import RealModule

extension ParameterLayout {
    /// Fresh parameters for training, in layout order.
    ///
    /// The scheme keeps activations at a steady scale through deep trees and two ReLU layers
    /// (the course's `0.01·randn` makes the deep model's signal vanish, see README):
    /// - `W = ½[I I] + N(0, 1/(2d))·½`: a parent starts as the average of its children plus
    ///   noise, so a 30-level tree neither explodes nor dies;
    /// - `W2 ~ N(0, 2/d)` (He, fan-in d) for the ReLU second layer, `U ~ N(0, 1/o)`;
    /// - `L ~ N(0, 0.1²)`, biases 0 except `b2 = 0.01` so no second-layer unit starts dead.
    public func initialParameters(seed: UInt64) -> [Float] {
        var g = SplitMix64.stream(seed: seed, 0x1417)
        var p = [Float](repeating: 0, count: count)
        let d = config.dim
        func fill(_ t: Tensor, std: Double) {
            for i in t.range { p[i] = Float(g.normal() * std) }
        }
        fill(L, std: 0.1)
        fill(W, std: 0.5 / Double.sqrt(Double(2 * d)))
        for i in 0 ..< d {
            p[W.offset + i * 2 * d + i] += 0.5
            p[W.offset + i * 2 * d + d + i] += 0.5
        }
        if let W2, let b2 {
            fill(W2, std: Double.sqrt(2 / Double(d)))
            for i in b2.range { p[i] = 0.01 }
        }
        fill(U, std: Double.sqrt(1 / Double(config.outputWidth)))
        return p
    }
}
