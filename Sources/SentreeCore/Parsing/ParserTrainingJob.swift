import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A parser trained on a thread of its own while something else goes on: the dashboard
/// starts one the first time a plain sentence needs a tree and no parser is cached, so that
/// a person who types a sentence gets a parsed tree without knowing that parsers exist.
///
/// The parser is written to `out` atomically, so every later command finds it there.
public final class ParserTrainingJob: Sendable {
    public enum Status: Sendable {
        /// `start()` was not called yet.
        case waiting
        /// `fraction` of all batches done, in `epoch` of `epochs`.
        case training(fraction: Double, epoch: Int, epochs: Int)
        /// Trained; `cacheError` says why it could not be written to `out` (it is used anyway).
        case finished(SpanParser, cacheError: String?)
        case failed(String)
    }

    public let trainPath: String
    public let devPath: String
    public let out: String
    let options: ParserTrainingOptions
    private let state = Locked(Status.waiting)

    /// Training reads the treebanks when it starts, not here: a dashboard that never needs a
    /// parser never pays for one.
    public init(train: String, dev: String, out: String, options: ParserTrainingOptions) {
        trainPath = train
        devPath = dev
        self.out = out
        self.options = options
    }

    public var status: Status { state.withLock { $0 } }

    /// Starts training unless it has started already; returns at once.
    public func start() {
        let first = state.withLock { status -> Bool in
            guard case .waiting = status else { return false }
            status = .training(fraction: 0, epoch: 1, epochs: options.epochs)
            return true
        }
        guard first else { return }
        let thread = Thread { [self] in run() }
        thread.name = "parser-training"
        thread.start()
    }

    private func run() {
        #if canImport(Glibc)
        // Below the training run it shares the machine with: on Linux the nice value is the
        // thread's own and `who` 0 is the calling thread, so only this thread yields.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        #endif
        let epochs = options.epochs
        do {
            let train = try Treebank.load(contentsOf: trainPath)
            let dev = try Treebank.load(contentsOf: devPath)
            let (parser, _) = try ParserTraining.train(train: train, dev: dev, options: options) { event in
                guard case let .batch(epoch, done, total, _, _) = event else { return }
                let fraction = (Double(epoch - 1) + Double(done) / Double(max(total, 1))) / Double(epochs)
                state.withLock { $0 = .training(fraction: fraction, epoch: epoch, epochs: epochs) }
            }
            var cacheError: String? = nil
            do {
                try FileManager.default.createDirectory(
                    atPath: parentPath(out), withIntermediateDirectories: true)
                try ParserFile.write(parser, to: out)
            } catch {
                cacheError = "\(error)"
            }
            state.withLock { $0 = .finished(parser, cacheError: cacheError) }
        } catch {
            state.withLock { $0 = .failed("\(error)") }
        }
    }
}
