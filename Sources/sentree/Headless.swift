import Dispatch
import Foundation
import SentreeCore
import Synchronization

/// Plain-text training: one line per epoch on stdout, for scripts, CI and pipes.
enum Headless {
    static func run(config: TrainingConfig, train: Treebank, dev: Treebank, runDirectory: String,
                    resume: Checkpoint?) throws -> Int32 {
        let best = Mutex<(epoch: Int, fineRoot: Double)>((0, -1))
        let trainer = try Trainer(config: config, train: train, dev: dev, runDirectory: runDirectory,
                                  resume: resume) { event in
            switch event {
            case .epoch(let r):
                let m = r.dev.metrics
                if r.isBest { best.withLock { $0 = (r.epoch, m.fineRoot) } }
                let line = String(
                    format: "epoch %3d/%d  loss %.4f  fine all %@  fine root %@  binary root %@  binary all %@  %.2fs  %.0f trees/s  lr %g%@",
                    r.epoch, config.epochs, r.trainLoss, percent(m.fineAll), percent(m.fineRoot),
                    percent(m.binaryRoot), percent(m.binaryAll), r.seconds, r.treesPerSecond,
                    r.learningRate, r.isBest ? "  *best" : "")
                print(line)
                fflush(nil)
            case .message(let text):
                printError("warning: \(text)")
            default:
                break
            }
        }
        let c = trainer.config
        print("sentree: \(c.model.rawValue) d=\(c.dim)\(c.model == .rnn2 ? " m=\(c.middle ?? c.dim)" : "")  \(trainer.layout.count) parameters  vocabulary \(trainer.vocabulary.count)  train \(train.count) trees  dev \(dev.count) trees")
        print("        \(c.optimizer.rawValue) lr \(c.learningRate)  l2 \(c.l2)  batch \(c.batchSize)  seed \(c.seed)  threads \(c.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : c.threads)  run \(runDirectory)")
        if trainer.startEpoch > 0 { print("        resuming after epoch \(trainer.startEpoch)") }
        fflush(nil)

        // Ctrl-C / SIGTERM stop at the next minibatch and save `last`; a second one exits now.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let interrupts = Mutex(0)
        let sources = [SIGINT, SIGTERM].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable in
                let n = interrupts.withLock { $0 += 1; return $0 }
                if n > 1 { exit(130) }
                printError("stopping after the current minibatch (saving last); press Ctrl-C again to quit now")
                trainer.stop()
            }
            source.resume()
            return source
        }
        trainer.start()
        trainer.wait()
        sources.forEach { $0.cancel() }
        let (epoch, fineRoot) = best.withLock { $0 }
        if epoch > 0 {
            print("best dev fine root \(percent(fineRoot)) at epoch \(epoch): \(runDirectory)/best.safetensors")
        }
        return interrupts.withLock { $0 } > 0 ? 130 : 0
    }
}
