import RealModule

/// Minibatch update rules on the canonical parameter buffer.
///
/// AdaGrad keeps a running sum of squared gradients per parameter (same layout as the
/// parameters; checkpointed). Rows of `L` are updated only where the minibatch touched
/// them, so an update costs time proportional to its words, not to the vocabulary; an
/// untouched row's gradient is exactly 0 (L is not decayed), so skipping it is exact.
public struct Optimizer: Sendable {
    public let kind: OptimizerKind
    public let layout: ParameterLayout
    /// AdaGrad's Σg² per parameter, or empty for SGD.
    public var accumulator: [Float]
    /// Learning-rate multiplier for the rows of `L`; 0 leaves them (and their Σg²) untouched.
    public var embeddingScale: Float = 1
    /// Added to √Σg² so the first steps are bounded.
    public static let epsilon: Float = 1e-8

    public init(kind: OptimizerKind, layout: ParameterLayout, accumulator: [Float]? = nil) {
        self.kind = kind
        self.layout = layout
        if kind == .adagrad {
            self.accumulator = accumulator ?? [Float](repeating: 0, count: layout.count)
        } else {
            self.accumulator = []
        }
    }

    /// Applies one step of `gradient` (already the gradient of the minibatch objective).
    public mutating func step(_ parameters: inout [Float], gradient g: Gradient<Float>, learningRate: Double) {
        var lr = Float(learningRate)
        let d = layout.config.inputWidth, base = layout.L.count, embeddingScale = self.embeddingScale
        let adagrad = kind == .adagrad
        parameters.withUnsafeMutableBufferPointer { p in
            accumulator.withUnsafeMutableBufferPointer { acc in
                // Plain loops over contiguous runs, which the compiler vectorizes.
                func update(_ start: Int, _ g: UnsafePointer<Float>, _ count: Int) {
                    if adagrad {
                        for j in 0 ..< count {
                            let gi = g[j]
                            let a = acc[start + j] + gi * gi
                            acc[start + j] = a
                            p[start + j] -= lr * gi / (a.squareRoot() + Self.epsilon)
                        }
                    } else {
                        for j in 0 ..< count { p[start + j] -= lr * g[j] }
                    }
                }
                g.dense.withUnsafeBufferPointer { update(base, $0.baseAddress!, $0.count) }
                guard embeddingScale != 0 else { return }
                lr *= embeddingScale
                g.rowValues.withUnsafeBufferPointer { values in
                    for (r, row) in g.rows.enumerated() { update(Int(row) * d, values.baseAddress! + r * d, d) }
                }
            }
        }
    }
}
