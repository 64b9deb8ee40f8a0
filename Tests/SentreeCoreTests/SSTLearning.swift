import Testing
@testable import SentreeCore

/// Learning tests' common run: train on the shared SST copy, judge on its dev set.
enum SSTLearning {
    /// Trains with `config` on SST train and returns the dev metrics of the epoch with the
    /// best fine root. Baselines on dev: majority fine root ≈ 26%, always-positive binary
    /// root ≈ 51%.
    static func bestDevMetrics(_ config: TrainingConfig) throws -> Metrics {
        let dir = try #require(TestTreebanks.sstDirectory)
        let train = try Treebank.load(contentsOf: dir + "/train.txt")
        let dev = try Treebank.load(contentsOf: dir + "/dev.txt")
        let log = EventLog()
        let t = try Trainer(config: config, train: train, dev: dev, runDirectory: nil, onEvent: log.post)
        t.start(); t.wait()
        return try #require(log.epochs.map(\.dev.metrics).max { $0.fineRoot < $1.fineRoot })
    }
}
