import Dispatch
import Foundation
import SentreeCore

/// SIGINT, SIGTERM and SIGHUP (`StopSignals`) turned into a value the UI loop polls, so the
/// terminal is restored and cleanup runs on the UI thread rather than in a signal handler.
final class SignalWatch {
    private let caught = Locked<Int32?>(nil)
    private let sources: [any DispatchSourceSignal]

    init() {
        for sig in StopSignals.all { signal(sig, SIG_IGN) }
        let caught = self.caught
        sources = StopSignals.all.map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable in caught.withLock { $0 = $0 ?? sig } }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    /// The first signal received, if any.
    var received: Int32? { caught.withLock { $0 } }
}

extension Terminal {
    /// Opens the terminal, or says on stderr why it could not (`advice` is appended).
    static func open(advice: String, mouse: Bool = true) -> Terminal? {
        if let terminal = Terminal(mouse: mouse) { return terminal }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        FileHandle.standardError.write(
            Data("sentree: cannot initialize the terminal (TERM=\(term))\(advice)\n".utf8))
        return nil
    }
}
