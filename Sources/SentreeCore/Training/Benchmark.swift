import Dispatch
import Foundation

/// Times training epochs on a treebank with the trainer's own minibatch step.
public enum Benchmark {
    public struct Result: Sendable {
        public let threads: Int
        public let epochs: Int
        public let trees: Int
        public let nodes: Int
        public let secondsPerEpoch: Double
        /// Floating-point operations of one epoch (multiply-add = 2), counted from the shapes.
        public let flopsPerEpoch: Double
        /// Trees per second of a forward-only evaluation pass (what dev scoring costs).
        public let evaluationTreesPerSecond: Double
        public var treesPerSecond: Double { Double(trees) / secondsPerEpoch }
        public var nodesPerSecond: Double { Double(nodes) / secondsPerEpoch }
        public var gflops: Double { flopsPerEpoch / secondsPerEpoch / 1e9 }
    }

    /// Runs `warmupSteps` minibatches, then `epochs` timed epochs (no evaluation, no saving),
    /// then times forward-only evaluation of `evaluation` (default: `train`).
    public static func run(
        config: TrainingConfig, train: Treebank, evaluation: Treebank? = nil,
        epochs: Int = 3, warmupSteps: Int = 30
    ) throws -> Result {
        let vocabulary = Vocabulary.build(from: train, lowercase: config.lowercase)
        let layout = ParameterLayout(config.modelConfig(vocabularySize: vocabulary.count))
        let data = EncodedTreebank(train, words: vocabulary.encode(train))
        let loop = try TrainingLoop(
            config: config, layout: layout, train: data, dev: data,
            vocabulary: vocabulary, run: nil, resume: nil)
        var order = Array(0 ..< data.count)
        var rng = SplitMix64(seed: config.seed)
        order.shuffle(using: &rng)
        let B = config.batchSize
        let batches = stride(from: 0, to: order.count, by: B).map {
            Array(order[$0 ..< min(order.count, $0 + B)])
        }
        for k in 0 ..< min(warmupSteps, batches.count) { _ = loop.trainStep(batches[k]) }
        let start = DispatchTime.now()
        for _ in 0 ..< epochs {
            for batch in batches { _ = loop.trainStep(batch) }
        }
        let seconds = start.secondsUntilNow / Double(epochs)
        let scored = evaluation ?? train
        let evalData = EncodedTreebank(scored, words: vocabulary.encode(scored))
        _ = loop.model.evaluate(evalData, parameters: loop.parameters)
        let evalStart = DispatchTime.now()
        var passes = 0
        repeat {
            _ = loop.model.evaluate(evalData, parameters: loop.parameters)
            passes += 1
        } while evalStart.secondsUntilNow < 0.3
        let evalRate = Double(passes * scored.count) / evalStart.secondsUntilNow
        return Result(
            threads: loop.model.threads, epochs: epochs, trees: train.count,
            nodes: train.nodeCount, secondsPerEpoch: seconds,
            flopsPerEpoch: flopsPerEpoch(layout: layout, treebank: train),
            evaluationTreesPerSecond: evalRate)
    }

    /// FLOPs of one forward+backward epoch, counted from the shapes (multiply-add = 2): the
    /// model's own (`LevelModel.flops`) plus the softmax's, 3 products with U per node
    /// (forward, Uᵀδ, outer product).
    public static func flopsPerEpoch(layout: ParameterLayout, treebank: Treebank) -> Double {
        let cfg = layout.config
        let nodes = treebank.nodeCount
        let internalNodes = treebank.left.lazy.filter { $0 >= 0 }.count
        let model = cfg.kind.flops(cfg, leaves: nodes - internalNodes, internalNodes: internalNodes)
        let softmax = Double(nodes) * 3 * 2 * Double(cfg.classes * cfg.softmaxWidth)
        // The hidden layer: forward, ∂Wc and the error at the outputs, each H·o multiply-adds.
        let hidden = Double(nodes) * 3 * 2 * Double((cfg.classifierHidden ?? 0) * cfg.outputWidth)
        return model + softmax + hidden
    }
}

extension Benchmark {
    /// One matrix-product shape the engine runs, timed on its own.
    public struct KernelResult: Sendable {
        public let name: String
        public let m: Int, n: Int, k: Int
        public let gflops: Double
    }

    /// Times the engine's `gemm` on the shapes a level of the RNN runs at width `d` with
    /// `rows` nodes in the level (single thread, Float32), so the kernel can be compared
    /// with a BLAS on the same shapes.
    public static func kernels(d: Int, rows: Int = 256, seconds: Double = 0.2) -> [KernelResult] {
        let dp = padded(d)
        // (name, m, n, k, transposed A): C[m × n] += A·B, or Aᵀ·B with A stored [k × m].
        let shapes = [
            ("forward  G·Wᵀ", rows, dp, 2 * dp, false),
            ("gradient Gᵀ·δ", 2 * dp, dp, rows, true),
            ("children δ·W", rows, 2 * dp, d, false),
        ]
        return shapes.map { name, m, n, k, transposed in
            var g = SplitMix64(seed: 3)
            let a = (0 ..< m * k).map { _ in Float(g.normal()) }
            let b = (0 ..< k * n).map { _ in Float(g.normal()) }
            var c = [Float](repeating: 0, count: m * n)
            var reps = 0
            let start = DispatchTime.now()
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        repeat {
                            for _ in 0 ..< 16 {
                                gemm(
                                    m: m, n: n, k: k, a: a.baseAddress!, rowStride: transposed ? 1 : k,
                                    columnStride: transposed ? m : 1, b: b.baseAddress!, ldb: n,
                                    c: c.baseAddress!, ldc: n)
                            }
                            reps += 16
                        } while start.secondsUntilNow < seconds
                    }
                }
            }
            let flops = 2.0 * Double(m * n * k) * Double(reps)
            return KernelResult(name: name, m: m, n: n, k: k, gflops: flops / start.secondsUntilNow / 1e9)
        }
    }
}
