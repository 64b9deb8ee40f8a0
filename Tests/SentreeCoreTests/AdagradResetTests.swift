import Foundation
import Testing
@testable import SentreeCore

/// `TrainingConfig.adagradReset`: AdaGrad's Σg² zeroed at chosen epoch boundaries, and only there.
@Suite struct AdagradResetTests {
    func config(epochs: Int, reset: Int?) -> TrainingConfig {
        var c = TrainingConfig()
        c.dim = 8; c.epochs = epochs; c.batchSize = 5; c.threads = 1; c.seed = 42; c.adagradReset = reset
        return c
    }

    func run(
        _ c: TrainingConfig, dir: String? = nil, resume: Checkpoint? = nil,
        onEvent: @escaping @Sendable (TrainerEvent) -> Void = { _ in }
    ) throws -> Trainer {
        let train = try TestTreebanks.treebank(count: 60, seed: 1)
        let dev = try TestTreebanks.treebank(count: 20, seed: 2)
        let t = try Trainer(
            config: c, train: train, dev: dev, runDirectory: dir, resume: resume, onEvent: onEvent)
        t.start(); t.wait()
        return t
    }

    @Test func theResetFallsBeforeEpochsOnePlusMultiplesOfN() {
        func epochs(_ reset: Int?, _ optimizer: OptimizerKind = .adagrad) -> [Int] {
            var c = config(epochs: 10, reset: reset)
            c.optimizer = optimizer
            return (1 ... 10).filter { c.resetsAccumulator(beforeEpoch: $0) }
        }
        #expect(epochs(1) == [2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(epochs(3) == [4, 7, 10])
        #expect(epochs(nil).isEmpty && epochs(0).isEmpty)
        #expect(epochs(1, .sgd).isEmpty)
    }

    @Test func resetZeroesTheSumsAndNothingElse() {
        let layout = ParameterLayout(ModelConfig(kind: .rntn, dim: 4, middle: 0, vocabularySize: 10))
        var optimizer = Optimizer(
            kind: .adagrad, layout: layout,
            accumulator: (0 ..< layout.count).map { Float($0 + 1) })
        optimizer.embeddingScale = 0.5
        optimizer.resetAccumulator()
        #expect(optimizer.accumulator == [Float](repeating: 0, count: layout.count))
        #expect(optimizer.embeddingScale == 0.5)
        var sgd = Optimizer(kind: .sgd, layout: layout)
        sgd.resetAccumulator()
        #expect(sgd.accumulator.isEmpty)
    }

    /// With N = 2 a 3-epoch run equals: 2 epochs without reset, then Σg² set to 0 by hand and
    /// epoch 3 without reset. So the reset happens before epoch 3, and at no other step; and
    /// the checkpoint of epoch 2 still holds the sums (the reset belongs to epoch 3).
    @Test func theResetHappensAtTheEpochBoundaryOnly() throws {
        let straight = try run(config(epochs: 3, reset: 2)).latestSnapshot!.parameters
        #expect(try run(config(epochs: 3, reset: nil)).latestSnapshot!.parameters != straight)
        #expect(
            try run(config(epochs: 2, reset: 2)).latestSnapshot!.parameters
                == run(config(epochs: 2, reset: nil)).latestSnapshot!.parameters)

        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try run(config(epochs: 2, reset: nil), dir: dir)
        var byHand = try Checkpoint.read(from: dir + "/last.safetensors")
        #expect(byHand.optimizerState.contains { $0 != 0 })
        byHand.optimizerState = [Float](repeating: 0, count: byHand.optimizerState.count)
        let resumed = try run(config(epochs: 3, reset: nil), dir: dir, resume: byHand)
        #expect(resumed.latestSnapshot!.parameters == straight)
    }

    /// `--resume` continues exactly, from an epoch boundary just before a reset (the resumed
    /// run does it) and from the middle of an epoch (the reset is not repeated).
    @Test func resumingContinuesExactly() throws {
        let straight = try run(config(epochs: 4, reset: 1)).latestSnapshot!.parameters

        let boundary = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: boundary) }
        _ = try run(config(epochs: 2, reset: 1), dir: boundary)
        let atBoundary = try Checkpoint.read(from: boundary + "/last.safetensors")
        #expect(atBoundary.config.adagradReset == 1 && atBoundary.progress.stepInEpoch == 0)
        #expect(
            try run(config(epochs: 4, reset: 1), dir: boundary, resume: atBoundary).latestSnapshot!.parameters
                == straight)

        let middle = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: middle) }
        let trainer = Locked<Trainer?>(nil)
        let stopper: @Sendable (TrainerEvent) -> Void = { event in
            if case .step(let s) = event, s.epoch == 3, s.stepInEpoch == 4 { trainer.withLock { $0?.stop() } }
        }
        let train = try TestTreebanks.treebank(count: 60, seed: 1)
        let dev = try TestTreebanks.treebank(count: 20, seed: 2)
        let first = try Trainer(
            config: config(epochs: 4, reset: 1), train: train, dev: dev, runDirectory: middle,
            onEvent: stopper)
        trainer.withLock { $0 = first }
        first.start(); first.wait()
        let inEpoch = try Checkpoint.read(from: middle + "/last.safetensors")
        #expect(inEpoch.progress.epochsCompleted == 2 && inEpoch.progress.stepInEpoch == 4)
        #expect(
            try run(config(epochs: 4, reset: 1), dir: middle, resume: inEpoch).latestSnapshot!.parameters
                == straight)
    }

    @Test func aNegativeIntervalFromAHandEditedRunIsRefused() throws {
        let train = try TestTreebanks.treebank(count: 10, seed: 1)
        #expect(throws: TrainerError.self) {
            try Trainer(
                config: config(epochs: 1, reset: -1), train: train, dev: train, runDirectory: nil,
                onEvent: { _ in })
        }
    }
}
