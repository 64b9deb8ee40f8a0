import ArgumentParser
import Foundation
import SentreeCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training epochs on SST train and print throughput as a fraction of the CPU's peak.",
        discussion: """
            Runs the trainer's own minibatch step (gradient, AdaGrad update, repack) over SST train \
            after a warm-up, with no evaluation or saving, for one thread and for all threads. The \
            peak is measured in the same run by a short FMA probe (FP32, one and all threads), \
            since these machines are shared and absolute numbers drift. Also times forward-only \
            evaluation of dev. --json prints one object per row with the keys model, dim, middle, \
            threads, seconds_per_epoch, trees_per_second, nodes_per_second, gflops, peak_gflops, \
            percent_of_peak and eval_trees_per_second.
            """)

    @OptionGroup var shape: ModelShapeOptions<ModelDefaults>
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Timed epochs.") var epochs = 3
    @Option(help: "Minibatch size.") var batchSize = 25
    @Option(help: "Dropout rate on the classifier input (default: 0).") var dropout: Double?
    @Option(help: "Dropout rate on the leaves' word vectors (default: 0).") var leafDropout: Double?
    @Option(help: "Dropout rate on the children's states (default: 0).") var stateDropout: Double?
    @Option(
        help: ArgumentHelp("Width of the classifier's tanh hidden layer (default: none).", valueName: "h"))
    var classifierHidden: Int?
    @Flag(help: "Print one JSON object per row instead of a table.") var json = false
    @Flag(help: "Time only the engine's matrix-product kernel on the RNN's level shapes (d=30 and 300).")
    var kernels = false
    @Option(help: "Time only reading this vectors file (GloVe or word2vec text) for SST train's vocabulary.")
    var vectors: String?

    var model: ModelKind { shape.model ?? .rnn }
    var dim: Int? { shape.dim }
    var inputDim: Int? { shape.inputDim }
    var middle: Int? { shape.middle }
    var threads: Int? { threadOptions.threads }
    var data: String? { dataOptions.data }

    func validate() throws {
        let given: [(TrainingConfig.Setting, Double?)] = [
            (.epochs, Double(epochs)), (.batchSize, Double(batchSize)), (.dropout, dropout),
            (.leafDropout, leafDropout), (.stateDropout, stateDropout),
            (.classifierHidden, classifierHidden.map(Double.init)),
        ]
        for case let (setting, value?) in given {
            if let problem = TrainingConfig.problem(setting, value) {
                throw ValidationError(problem.flagDescription)
            }
        }
    }

    func run() throws {
        if kernels {
            // Levels near the roots hold a few nodes, near the leaves hundreds: the kernels'
            // efficiency at both ends is what a training epoch averages over.
            print("gemm, one thread, Float32, C[m×n] += A·B (or Aᵀ·B), a level of 256, 24 and 3 nodes")
            print("shape              d      m      n      k   GFLOP/s")
            for d in [30, 300] {
                for rows in [256, 24, 3] {
                    for r in Benchmark.kernels(d: d, rows: rows) {
                        print(
                            String(
                                format: "%@  %4d  %5d  %5d  %5d   %7.1f", r.name, d, r.m, r.n, r.k, r.gflops))
                    }
                }
            }
            return
        }
        try reportingErrors {
            let dir = try SSTData.resolve(explicitDirectory: data) { printError($0) }
            let train = try Treebank.load(contentsOf: dir + "/train.txt")
            if let vectors {
                let vocabulary = Vocabulary.build(from: train, lowercase: true)
                let bytes = (try FileManager.default.attributesOfItem(atPath: vectors)[.size] as? Int) ?? 0
                let start = Date()
                let (dimension, found) = try PretrainedVectors.lookUp(vectors, vocabulary: vocabulary)
                let seconds = Date().timeIntervalSince(start)
                print(
                    String(
                        format:
                            "read %@: %.1f MB in %.3f s (%.0f MB/s), %d-dimensional, %d of %d words found",
                        TerminalText.sanitized(vectors), Double(bytes) / 1e6, seconds,
                        Double(bytes) / 1e6 / seconds, dimension, found.lazy.filter { $0 != nil }.count,
                        vocabulary.count - 1))
                return
            }
            let dev = try Treebank.load(contentsOf: dir + "/dev.txt")
            var config = TrainingConfig()
            config.model = model
            let dim = self.dim ?? model.defaultDim
            config.dim = dim
            config.inputDim = inputDim ?? model.defaultInputDim
            config.middle = middle
            config.batchSize = batchSize
            config.dropout = dropout
            config.leafDropout = leafDropout
            config.stateDropout = stateDropout
            config.classifierHidden = classifierHidden
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let n = threads ?? cores
            let counts = n > 1 ? [1, n] : [n]
            let peaks = counts.map { PeakProbe.gflops(threads: $0) }
            let shape =
                config.shapeDescription + (config.dropoutCell == "-" ? "" : ", dropout \(config.dropoutCell)")
            if !json {
                print(
                    "bench: \(shape), batch \(batchSize), \(train.count) trees, \(train.nodeCount) nodes, \(epochs) timed epochs, \(cores) cores"
                )
                print(
                    "peak (FP32 FMA probe): "
                        + zip(counts, peaks).map {
                            String(format: "%d thread%@ %.1f GFLOP/s", $0, $0 == 1 ? "" : "s", $1)
                        }.joined(separator: ", "))
                print("threads   s/epoch   trees/s    nodes/s   GFLOP/s   % of peak   eval trees/s")
            }
            var results: [Benchmark.Result] = []
            for (t, peak) in zip(counts, peaks) {
                config.threads = t
                let r = try Benchmark.run(config: config, train: train, evaluation: dev, epochs: epochs)
                results.append(r)
                let percent = 100 * r.gflops / peak
                if json {
                    let row: [String: Any] = [
                        "model": model.rawValue, "dim": dim, "middle": model == .rnn2 ? middle ?? dim : 0,
                        "input_dim": config.inputDim ?? dim,
                        "threads": t, "seconds_per_epoch": r.secondsPerEpoch,
                        "trees_per_second": r.treesPerSecond,
                        "nodes_per_second": r.nodesPerSecond, "gflops": r.gflops, "peak_gflops": peak,
                        "percent_of_peak": percent, "eval_trees_per_second": r.evaluationTreesPerSecond,
                    ]
                    let data = try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print(
                        String(
                            format: "%7d   %7.3f   %7.0f   %8.0f   %7.2f   %8.1f%%   %12.0f", t,
                            r.secondsPerEpoch,
                            r.treesPerSecond, r.nodesPerSecond, r.gflops, percent, r.evaluationTreesPerSecond)
                    )
                }
            }
            if !json {
                print(String(format: "arithmetic per epoch: %.2f GFLOP", results[0].flopsPerEpoch / 1e9))
                if results.count == 2 {
                    print(
                        String(
                            format: "speed-up %d threads vs 1: %.2fx", n,
                            results[0].secondsPerEpoch / results[1].secondsPerEpoch))
                }
            }
        }
    }
}
