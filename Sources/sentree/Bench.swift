import ArgumentParser
import Foundation
import SentreeCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training epochs on SST train and print throughput.",
        discussion: """
        Runs the trainer's own minibatch step (gradient, AdaGrad update, repack) over SST train \
        after a warm-up, with no evaluation or saving. With more than one thread it also times \
        one thread in the same run and prints the speed-up, since these machines are shared \
        and absolute numbers drift.
        """)

    @Option(help: "Model: rnn or rnn2.") var model: ModelKind = .rnn
    @Option(help: "Width d.") var dim = 30
    @Option(help: "Width m of rnn2's second layer (default: d).") var middle: Int?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Timed epochs.") var epochs = 3
    @Option(help: "Minibatch size.") var batchSize = 25
    @Option(help: "Directory with train.txt (default: data/sst, fetched if missing).") var data: String?

    func run() throws {
        try reportingErrors {
            let dir = try SSTData.resolve(explicitDirectory: data) { printError($0) }
            let train = try Treebank.load(contentsOf: dir + "/train.txt")
            var config = TrainingConfig()
            config.model = model
            config.dim = dim
            config.middle = middle
            config.batchSize = batchSize
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let n = threads ?? cores
            print("bench: \(model.rawValue) d=\(dim)\(model == .rnn2 ? " m=\(middle ?? dim)" : ""), batch \(batchSize), \(train.count) trees, \(train.nodeCount) nodes, \(epochs) timed epochs, \(cores) cores")
            print("threads   s/epoch   trees/s    nodes/s     GFLOP/s")
            var results: [Benchmark.Result] = []
            for t in (n > 1 ? [1, n] : [n]) {
                config.threads = t
                let r = try Benchmark.run(config: config, train: train, epochs: epochs)
                results.append(r)
                print(String(format: "%7d   %7.3f   %7.0f   %9.0f   %7.2f", t, r.secondsPerEpoch,
                             r.treesPerSecond, r.nodesPerSecond, r.gflops))
            }
            print(String(format: "arithmetic per epoch: %.2f GFLOP", results[0].flopsPerEpoch / 1e9))
            if results.count == 2 {
                print(String(format: "speed-up %d threads vs 1: %.2fx", n, results[0].secondsPerEpoch / results[1].secondsPerEpoch))
            }
        }
    }
}
