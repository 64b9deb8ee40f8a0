import Foundation
import Testing
@testable import SentreeCore

/// A run whose learning rate is too high: a warning when its loss jumps, and a stop that
/// saves nothing over the good files when its numbers stop being finite.
@Suite struct DivergenceTests {
    func record(_ epoch: Int, loss: Double) -> EpochRecord {
        EpochRecord(
            epoch: epoch, trainLoss: loss, fineAll: 0.7, fineRoot: 0.4, binaryRoot: 0.8,
            binaryAll: 0.8, seconds: 1, treesPerSecond: 1000, learningRate: 0.01)
    }

    @Test func aJumpInTheLossIsAWarningAndTheUsualWobbleIsNot() {
        #expect(
            Divergence.lossJumpWarning(
                previous: record(10, loss: 0.5103),
                current: record(11, loss: 0.9608), bestEpoch: 10)
                == "epoch 11: training loss rose from 0.5103 to 0.9608; the run may be diverging, "
                + "a lower --lr usually helps (best.safetensors keeps epoch 10)")
        #expect(
            Divergence.lossJumpWarning(
                previous: record(1, loss: 1.0), current: record(2, loss: 1.31),
                bestEpoch: 0)?.hasSuffix("a lower --lr usually helps") == true)
        // The largest rise of a run that went on training, in RESULTS.md's RNTN sweeps: 1.21×.
        #expect(
            Divergence.lossJumpWarning(
                previous: record(25, loss: 0.40), current: record(26, loss: 0.485),
                bestEpoch: 20) == nil)
        #expect(Divergence.lossJumpWarning(previous: nil, current: record(1, loss: 9), bestEpoch: 0) == nil)
    }

    @Test func theStopMessageSaysWhatIsIntact() {
        let head =
            "training diverged at epoch 3, step 7 (lr 0.5): the loss or the parameters are no longer "
            + "finite numbers. Stopped without saving them; "
        #expect(
            Divergence.stoppedMessage(
                epoch: 3, step: 7, learningRate: 0.5,
                saved: .init(lastEpochsCompleted: nil))
                == head + "nothing had been saved yet, so start a new run with a lower --lr.")
        #expect(
            Divergence.stoppedMessage(
                epoch: 3, step: 7, learningRate: 0.5,
                saved: .init(lastEpochsCompleted: 2, bestEpoch: 1))
                == head + "last.safetensors (end of epoch 2) and best.safetensors (epoch 1) are intact: "
                + "--resume the run with a lower --lr.")
        #expect(
            Divergence.stoppedMessage(
                epoch: 3, step: 7, learningRate: 0.5,
                saved: .init(lastEpochsCompleted: 2, lastStepInEpoch: 4))
                == head + "last.safetensors (epoch 3, step 4) is intact: --resume the run with a lower --lr.")
    }

    /// SGD at an absurd rate: the trainer stops as DIVERGED, says so, logs it, publishes no
    /// broken parameters, and leaves the checkpoints of the epochs before it byte for byte.
    @Test func aDivergingRunStopsWithoutTouchingItsFiles() throws {
        let train = try TestTreebanks.treebank(count: 60, seed: 1)
        let dev = try TestTreebanks.treebank(count: 20, seed: 2)
        var c = TrainingConfig()
        c.dim = 8; c.batchSize = 5; c.threads = 1; c.epochs = 2; c.optimizer = .sgd; c.learningRate = 0.01
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try Trainer(config: c, train: train, dev: dev, runDirectory: dir, onEvent: { _ in })
        first.start(); first.wait()
        let files = RunFiles(path: dir)
        func contents() throws -> [Data] {
            try [files.lastPath, files.bestPath].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        }
        let before = try contents()

        var resume = try Checkpoint.read(from: files.lastPath)
        resume.progress.learningRate = 1e12
        c.epochs = 4
        let log = EventLog()
        let second = try Trainer(
            config: c, train: train, dev: dev, run: try RunDirectory.openExisting(dir),
            resume: resume, onEvent: log.post)
        second.start(); second.wait()
        #expect(log.states.last == .diverged)
        let messages = log.events.withLock {
            $0.compactMap { if case .message(let m) = $0 { m } else { nil } }
        }
        let intact =
            "last.safetensors (end of epoch 2) and best.safetensors (epoch \(resume.progress.bestEpoch)) "
            + "are intact: --resume the run with a lower --lr."
        #expect(
            messages.contains { $0.hasPrefix("training diverged at epoch 3, step ") && $0.hasSuffix(intact) },
            "\(messages)")
        #expect(log.epochs.isEmpty)
        #expect(second.latestSnapshot.map { $0.parameters.allSatisfy(\.isFinite) } ?? true)
        #expect(try contents() == before)
        let metrics = try String(contentsOfFile: files.metricsPath, encoding: .utf8)
        #expect(metrics.contains("\"event\":\"diverged\"") && !metrics.lowercased().contains("nan"))
    }

    /// A save asked for between the update that broke the parameters and the next loss (a
    /// dashboard's `s`) writes nothing: the good `last` stays byte for byte.
    @Test func brokenParametersAreNeverSaved() throws {
        let train = try TestTreebanks.treebank(count: 30, seed: 1)
        let dev = try TestTreebanks.treebank(count: 10, seed: 2)
        var c = TrainingConfig()
        c.dim = 8; c.batchSize = 5; c.threads = 1; c.epochs = 1
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try Trainer(config: c, train: train, dev: dev, runDirectory: dir, onEvent: { _ in })
        first.start(); first.wait()
        let last = RunFiles(path: dir).lastPath
        let before = try Data(contentsOf: URL(fileURLWithPath: last))
        let resume = try Checkpoint.read(from: last)
        let t = try Trainer(
            config: c, train: train, dev: dev, run: try RunDirectory.openExisting(dir),
            resume: resume, onEvent: { _ in })
        let written = t.loop.withLock { loop in
            loop.parameters[loop.layout.U.offset] = .infinity
            return loop.save(t, reason: "manual")
        }
        #expect(!written)
        #expect(try Data(contentsOf: URL(fileURLWithPath: last)) == before)
    }
}
