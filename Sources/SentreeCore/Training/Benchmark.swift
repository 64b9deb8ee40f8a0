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
    public static func run(config: TrainingConfig, train: Treebank, evaluation: Treebank? = nil,
                           epochs: Int = 3, warmupSteps: Int = 30) throws -> Result {
        let vocabulary = Vocabulary.build(from: train, lowercase: config.lowercase)
        let layout = ParameterLayout(ModelConfig(kind: config.model, dim: config.dim, middle: config.middle,
                                                 vocabularySize: vocabulary.count))
        let data = EncodedTreebank(train, words: vocabulary.encode(train))
        let loop = try TrainingLoop(config: config, layout: layout, train: data, dev: data,
                                vocabulary: vocabulary, run: nil, resume: nil)
        var order = Array(0 ..< data.count)
        var rng = SplitMix64(seed: config.seed)
        order.shuffle(using: &rng)
        let B = config.batchSize
        let batches = stride(from: 0, to: order.count, by: B).map { Array(order[$0 ..< min(order.count, $0 + B)]) }
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
        return Result(threads: loop.model.threads, epochs: epochs, trees: train.count,
                      nodes: train.nodeCount, secondsPerEpoch: seconds,
                      flopsPerEpoch: flopsPerEpoch(layout: layout, treebank: train),
                      evaluationTreesPerSecond: evalRate)
    }

    /// FLOPs of one forward+backward epoch: per internal node 3 products with W (forward,
    /// Wᵀδ, outer product); per node 3 with U, and for rnn2 3 with W2.
    public static func flopsPerEpoch(layout: ParameterLayout, treebank: Treebank) -> Double {
        let cfg = layout.config
        let d = Double(cfg.dim), o = Double(cfg.outputWidth), C = Double(cfg.classes)
        let nodes = Double(treebank.nodeCount)
        let internalNodes = Double(treebank.left.lazy.filter { $0 >= 0 }.count)
        var flops = internalNodes * 3 * 2 * d * 2 * d + nodes * 3 * 2 * C * o
        if cfg.kind == .rnn2 { flops += nodes * 3 * 2 * Double(cfg.middle) * d }
        return flops
    }
}
