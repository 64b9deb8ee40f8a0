import Dispatch
import Foundation
import SentreeCore

/// Plain-text training: one line per epoch on stdout, for scripts, CI and pipes.
enum Headless {
    /// Failed writes in a row after which a headless run gives up (exit 1): nobody is
    /// watching to free the disk, and every further epoch would be lost anyway.
    static let writeFailureLimit = 3

    static func run(
        config: TrainingConfig, train: Treebank, dev: Treebank, run: RunDirectory,
        resume: Checkpoint?, started: () -> Void = {}
    ) throws -> Int32 {
        // The best evaluation: its epoch, position inside the epoch (or nil), and figures.
        let best = Locked<(epoch: Int, position: Double?, metrics: Metrics)?>(nil)
        let finalState = Locked(TrainerState.starting)
        let trainer = try Trainer(
            config: config, train: train, dev: dev, run: run, resume: resume,
            stopAfterWriteFailures: writeFailureLimit
        ) { event in
            switch event {
            case .epoch(let r):
                let m = r.dev.metrics
                if r.isBest { best.withLock { $0 = (r.epoch, nil, m) } }
                let fine = config.sentimentTask.argmaxName
                let line = String(
                    format:
                        "epoch %3d/%d  loss %.4f  \(fine) all %@  \(fine) root %@  binary root %@  binary all %@  %.2fs%@  %.0f trees/s  lr %g%@",
                    r.epoch, config.epochs, r.trainLoss, percent(m.fineAll), percent(m.fineRoot),
                    percent(m.binaryRoot), percent(m.binaryAll), r.seconds, saveText(r.saveSeconds),
                    r.treesPerSecond, r.learningRate, r.isBest ? "  *best" : "")
                print(line)
                StandardStreams.flushStandardOutput()
            case .devEvaluation(let e):
                let m = e.dev.metrics
                if e.isBest { best.withLock { $0 = (e.dev.epoch, e.position, m) } }
                let fine = config.sentimentTask.argmaxName
                print(
                    String(
                        format:
                            "eval  %6.2f/%d  \(fine) all %@  \(fine) root %@  binary root %@  binary all %@  step %d  lr %g%@",
                        e.position, config.epochs, percent(m.fineAll), percent(m.fineRoot),
                        percent(m.binaryRoot), percent(m.binaryAll), e.dev.step, e.learningRate,
                        e.isBest ? "  *best" : ""))
                StandardStreams.flushStandardOutput()
            case .note(let text), .stoppedEarly(let text):
                print(text)
                StandardStreams.flushStandardOutput()
            case .writeFailed(let failure):
                printError(TerminalText.sanitized("error: \(failure.path): \(failure.summary)"))
            case .message(let text):
                printError("warning: \(text)")
            case .state(let state):
                finalState.withLock { $0 = state }
            default:
                break
            }
        }
        let c = trainer.config
        let task = c.taskDescription.isEmpty ? "" : "  \(c.taskDescription)"
        print(
            "sentree: \(c.shapeDescription)\(task)  \(trainer.layout.count) parameters  vocabulary \(trainer.vocabulary.count)  train \(train.count) trees  dev \(dev.count) trees"
        )
        let threads = c.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : c.threads
        // The headers' settings, with the learning rate after the optimizer they start with.
        let settings = ["\(c.optimizer.rawValue) lr \(c.learningRate)"] + c.settingDescriptions.dropFirst()
        print(
            "        \(settings.joined(separator: "  "))  threads \(threads)  "
                + "run \(TerminalText.sanitized(run.path))")
        print("        data \(TerminalText.sanitized(c.dataDirectory ?? "?"))")
        if let e = trainer.embeddingCoverage {
            print(
                "        embeddings \(TerminalText.sanitized(e.file)): \(e.dimension)-dimensional, \(e.summary)"
            )
        }
        if trainer.startEpoch > 0 { print("        resuming after epoch \(trainer.startEpoch)") }
        StandardStreams.flushStandardOutput()

        // Ctrl-C, SIGTERM and SIGHUP stop at the next minibatch and save `last`; a second
        // one exits now.
        for sig in StopSignals.all { signal(sig, SIG_IGN) }
        let caught = Locked<Int32?>(nil)
        let sources = StopSignals.all.map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable in
                let first = caught.withLock { c in
                    defer { c = c ?? sig }; return c == nil
                }
                if !first { exit(128 + sig) }
                printError(
                    "stopping after the current minibatch (saving last); press Ctrl-C again to quit now")
                trainer.stop()
            }
            source.resume()
            return source
        }
        trainer.start()
        started()
        trainer.wait()
        sources.forEach { $0.cancel() }
        if let r = best.withLock({ $0 }) {
            let m = r.metrics
            print(
                runSummary(
                    epoch: r.epoch, fineRoot: m.fineRoot, fineAll: m.fineAll,
                    binaryRoot: m.binaryRoot, run: run.files, task: config.sentimentTask,
                    position: r.position))
        }
        if let sig = caught.withLock({ $0 }) { return 128 + sig }
        let final = finalState.withLock { $0 }
        if final == .diverged {
            printError("error: stopped: training diverged (see above)")
            return 1
        }
        if final == .failed {
            printError(
                "error: stopped: writing to \(TerminalText.sanitized(run.path)) failed \(writeFailureLimit) times in a row "
                    + "(disk full or directory unwritable?); the files saved before are intact")
            return 1
        }
        return 0
    }
}
