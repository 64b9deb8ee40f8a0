import RealModule
import Testing
@testable import SentreeCore

/// A per-node Float64 Tree-LSTM with plain loops, one tree at a time: the reference the
/// batched engine is checked against. It shares nothing with the engine but the layout.
enum TreeLSTMReference {
    static func sigmoid(_ v: Double) -> Double { 1 / (1 + Double.exp(-v)) }

    /// Summed cross-entropy of `trees` and its gradient, dense in layout order.
    static func lossAndGradient(
        layout: ParameterLayout, parameters p: [Double], trees: [Int],
        data: EncodedTreebank
    ) -> (loss: Double, gradient: [Double]) {
        let cfg = layout.config, d = cfg.dim, x = cfg.inputWidth, C = cfg.classes
        let L = layout.L.offset, U = layout.U.offset, bs = layout.bs.offset
        let W = layout.tensor(named: "W_iou")!.offset, V = layout.tensor(named: "U_iffou")!.offset
        let b = layout.tensor(named: "b_ifou")!.offset
        // Gate slots i, f_l, f_r, o, u; the bias block (i, f, o, u) of each.
        let biasOf = [0, 1, 1, 2, 3]
        var grad = [Double](repeating: 0, count: layout.count), loss = 0.0
        let tb = data.treebank
        for t in trees {
            let nodes = tb.nodes(of: t), n = nodes.count, base = nodes.lowerBound
            let zeros = [Double](repeating: 0, count: d)
            var gate = [[[Double]]](repeating: [[Double]](repeating: zeros, count: 5), count: n)
            var c = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
            var h = c, prob = [[Double]](repeating: [], count: n)
            func child(_ k: Int) -> (Int, Int) { (Int(tb.left[base + k]), Int(tb.right[base + k])) }
            for k in 0 ..< n {
                let isLeaf = tb.left[base + k] < 0
                for s in 0 ..< 5 where !isLeaf || [0, 3, 4].contains(s) {
                    for r in 0 ..< d {
                        var z = p[b + biasOf[s] * d + r]
                        if isLeaf {
                            let word = Int(data.words[base + k]), row = [0: 0, 3: 1, 4: 2][s]! * d + r
                            for j in 0 ..< x { z += p[W + row * x + j] * p[L + word * x + j] }
                        } else {
                            let (l, rr) = child(k)
                            for j in 0 ..< d {
                                z += p[V + (s * d + r) * 2 * d + j] * h[l][j]
                                z += p[V + (s * d + r) * 2 * d + d + j] * h[rr][j]
                            }
                        }
                        gate[k][s][r] = s == 4 ? Double.tanh(z) : sigmoid(z)
                    }
                }
                for r in 0 ..< d {
                    c[k][r] = gate[k][0][r] * gate[k][4][r]
                    if !isLeaf {
                        let (l, rr) = child(k)
                        c[k][r] += gate[k][1][r] * c[l][r] + gate[k][2][r] * c[rr][r]
                    }
                    h[k][r] = gate[k][3][r] * Double.tanh(c[k][r])
                }
                var z = (0 ..< C).map { cl in
                    (0 ..< d).reduce(p[bs + cl]) { $0 + p[U + cl * d + $1] * h[k][$1] }
                }
                let top = z.max()!
                z = z.map { Double.exp($0 - top) }
                let total = z.reduce(0, +)
                prob[k] = z.map { $0 / total }
                let label = Int(tb.labels[base + k])
                if label < C { loss -= Double.log(prob[k][label]) }
            }
            var dh = [[Double]](repeating: [Double](repeating: 0, count: d), count: n), dc = dh
            for k in stride(from: n - 1, through: 0, by: -1) {
                let label = Int(tb.labels[base + k])
                if label < C {
                    for cl in 0 ..< C {
                        let delta = prob[k][cl] - (cl == label ? 1 : 0)
                        grad[bs + cl] += delta
                        for r in 0 ..< d {
                            grad[U + cl * d + r] += delta * h[k][r]
                            dh[k][r] += p[U + cl * d + r] * delta
                        }
                    }
                }
                let isLeaf = tb.left[base + k] < 0
                var dz = [[Double]](repeating: [Double](repeating: 0, count: d), count: 5)
                for r in 0 ..< d {
                    let i = gate[k][0][r], o = gate[k][3][r], u = gate[k][4][r], tc = Double.tanh(c[k][r])
                    let dcr = dc[k][r] + dh[k][r] * o * (1 - tc * tc)
                    dz[0][r] = dcr * u * i * (1 - i)
                    dz[3][r] = dh[k][r] * tc * o * (1 - o)
                    dz[4][r] = dcr * i * (1 - u * u)
                    if !isLeaf {
                        let (l, rr) = child(k), fl = gate[k][1][r], fr = gate[k][2][r]
                        dz[1][r] = dcr * c[l][r] * fl * (1 - fl)
                        dz[2][r] = dcr * c[rr][r] * fr * (1 - fr)
                        dc[l][r] += dcr * fl
                        dc[rr][r] += dcr * fr
                    }
                }
                for s in 0 ..< 5 where !isLeaf || [0, 3, 4].contains(s) {
                    for r in 0 ..< d {
                        grad[b + biasOf[s] * d + r] += dz[s][r]
                        if isLeaf {
                            let word = Int(data.words[base + k]), row = [0: 0, 3: 1, 4: 2][s]! * d + r
                            for j in 0 ..< x {
                                grad[W + row * x + j] += dz[s][r] * p[L + word * x + j]
                                grad[L + word * x + j] += dz[s][r] * p[W + row * x + j]
                            }
                        } else {
                            let (l, rr) = child(k), row = V + (s * d + r) * 2 * d
                            for j in 0 ..< d {
                                grad[row + j] += dz[s][r] * h[l][j]
                                grad[row + d + j] += dz[s][r] * h[rr][j]
                                dh[l][j] += p[row + j] * dz[s][r]
                                dh[rr][j] += p[row + d + j] * dz[s][r]
                            }
                        }
                    }
                }
            }
        }
        return (loss, grad)
    }
}

@Suite struct TreeLSTMTests {
    /// The level-batched Tree-LSTM's loss and gradient equal the per-node reference to 1e-12
    /// relative in Float64 (SST train trees when present), below and above one SIMD chunk.
    @Test(arguments: [(30, 20, 1), (18, 37, 2)])
    func batchedGradientMatchesThePerNodeReference(shape: (Int, Int, Int)) {
        let data = EngineTests.trees
        let layout = ParameterLayout(
            ModelConfig(
                kind: .treelstm, dim: shape.0, inputDim: shape.1,
                vocabularySize: data.words.max().map { Int($0) + 1 }!))
        let theta = EngineTests.parameters(layout, Double.self)
        let trees = EngineTests.batch(40, seed: 6)
        let reference = TreeLSTMReference.lossAndGradient(
            layout: layout, parameters: theta, trees: trees,
            data: data)
        let batched = TreeModel<Double>(layout: layout, parameters: theta, threads: shape.2)
            .lossAndGradient(trees: trees, data: data, parameters: theta)
        EngineTests.expectMatchesReference(batched, reference, layout: layout, "\(shape)")
    }

    /// Training runs in Float with the rational tanh: the same gradient to 1e-4 relative.
    @Test func floatGradientMatchesTheReference() {
        let data = EngineTests.trees
        let layout = ParameterLayout(
            ModelConfig(
                kind: .treelstm, dim: 20, inputDim: 24,
                vocabularySize: data.words.max().map { Int($0) + 1 }!))
        let theta = EngineTests.parameters(layout, Double.self)
        let trees = EngineTests.batch(25, seed: 7)
        let reference = TreeLSTMReference.lossAndGradient(
            layout: layout, parameters: theta, trees: trees,
            data: data)
        let batched = TreeModel<Float>(layout: layout, parameters: theta.map(Float.init), threads: 2)
            .lossAndGradient(trees: trees, data: data, parameters: theta.map(Float.init))
        #expect(abs(batched.loss - reference.loss) <= 1e-4 * abs(reference.loss))
        let b = batched.gradient.densified().map(Double.init)
        for t in layout.tensors {
            let r = Array(reference.gradient[t.range])
            #expect(EngineTests.relativeDifference(Array(b[t.range]), r) < 1e-4, "\(t.name)")
        }
    }

    /// The Float tanh and σ stay within a few ulp of libm across and beyond the fitted range.
    @Test func fastActivationsAreAccurate() {
        var worstTanh = 0.0, worstSigmoid = 0.0
        var v = -30.0
        while v < 30 {
            let chunk = SIMD16<Float>((0 ..< 16).map { Float(v + Double($0) * 0.0003) })
            let t = tanhChunk(chunk), s = sigmoidChunk(chunk)
            for l in 0 ..< 16 {
                let a = Double(chunk[l])
                worstTanh = max(worstTanh, abs(Double(t[l]) - Double.tanh(a)))
                worstSigmoid = max(worstSigmoid, abs(Double(s[l]) - 1 / (1 + Double.exp(-a))))
            }
            v += 0.0047
        }
        #expect(worstTanh < 5e-7, "tanh \(worstTanh)")
        #expect(worstSigmoid < 5e-7, "sigmoid \(worstSigmoid)")
        // Small arguments keep their relative precision (the clamp is exact inside the range).
        #expect(abs(tanhChunk(SIMD16<Float>(repeating: 1e-6))[0] / 1e-6 - 1) < 4e-7)
    }

    /// A small Tree-LSTM learns SST: clearly above the majority floors on dev within 3 epochs.
    @Test(.enabled(if: TestTreebanks.sstDirectory != nil)) func learnsSST() throws {
        var c = TrainingConfig()
        c.model = .treelstm
        c.dim = 30
        c.inputDim = 30
        c.epochs = 3
        let best = try SSTLearning.bestDevMetrics(c)
        // Baselines on dev: majority fine root ≈ 26%, always-positive binary root ≈ 51%.
        // Measured (2 threads): 43.7% fine root, 82.7% binary root.
        #expect(best.fineRoot > 0.40, "fine root \(best.fineRoot)")
        #expect(best.binaryRoot > 0.78, "binary root \(best.binaryRoot)")
    }
}
