import RealModule

/// Adam over the parser's flat parameters, with the gradient's norm clipped first.
///
/// The span loss is dense in every LSTM weight; the word vectors' gradient is sparse, and
/// Adam's per-weight step keeps rare words moving at the same rate as common ones.
struct ParserAdam: Sendable {
    var learningRate: Float
    var beta1: Float = 0.9
    var beta2: Float = 0.999
    var epsilon: Float = 1e-8
    /// Largest gradient norm applied as is; larger gradients are scaled down to it.
    var clip: Float = 5
    private var m: [Float]
    private var v: [Float]
    private var steps = 0

    init(count: Int, learningRate: Float) {
        self.learningRate = learningRate
        m = [Float](repeating: 0, count: count)
        v = m
    }

    mutating func step(_ parameters: inout [Float], gradient g: [Float]) {
        steps += 1
        var norm2: Float = 0
        for x in g { norm2 += x * x }
        let norm = norm2.squareRoot()
        let shrink = norm > clip ? clip / norm : 1
        let c1 = 1 - pow(beta1, Float(steps)), c2 = 1 - pow(beta2, Float(steps))
        let rate = learningRate * c2.squareRoot() / c1
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        parameters.withUnsafeMutableBufferPointer { p in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { g in
                        for k in 0 ..< p.count {
                            let gk = g[k] * shrink
                            m[k] = b1 * m[k] + (1 - b1) * gk
                            v[k] = b2 * v[k] + (1 - b2) * gk * gk
                            p[k] -= rate * m[k] / (v[k].squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}

@inline(__always) private func pow(_ x: Float, _ y: Float) -> Float { Float.pow(x, y) }
