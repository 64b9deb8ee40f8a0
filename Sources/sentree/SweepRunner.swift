import Dispatch
import Foundation
import SentreeCore

/// Drives a sweep's trials as `sentree train` child processes, `jobs` at a time.
///
/// Each trial's run directory is written by its own `train` process only, so the run rules
/// (one writer, atomic files, resume from the run alone) hold unchanged; the sweep itself
/// writes only its `outcomes/` and `logs/`. Everything here runs on the main thread: a
/// parent-death signal follows the thread that spawned the child, so that must live on.
final class SweepRunner {
    let files: SweepFiles
    /// The trials this runner may run: all of the sweep's, or the one of a Slurm task.
    let trials: [SweepTrial]
    let jobs: Int
    let executable: String
    let progress: SweepProgress

    private struct Running {
        let trial: SweepTrial
        let child: SweepChild
        let started: Date
        /// Where this attempt's stderr starts in the appended log.
        let errorOffset: UInt64
        let resumed: Bool
    }

    init(files: SweepFiles, trials: [SweepTrial], jobs: Int, executable: String, progress: SweepProgress) {
        self.files = files
        self.trials = trials
        self.jobs = jobs
        self.executable = executable
        self.progress = progress
    }

    /// Runs what is left; returns the exit status: 0 all done, 1 some trial failed, 128 + the
    /// signal when stopped (the running trials saved, to be finished by `sweep --resume`).
    func run() -> Int32 {
        let files = self.files
        var queue = trials.filter { files.state($0) != .done }
        let total = trials.count
        progress.start(total: total, done: total - queue.count, jobs: jobs)
        let stop = SignalCatcher()
        var running: [Running] = []
        var failed = 0
        var waitingNoted: Set<Int> = []
        while true {
            let signal = stop.caught
            if let signal, stop.takeNewDelivery() {
                // Forward each delivery once: the first makes `train` save and stop; a second
                // one, as for `train` itself, stops it at once.
                for r in running { r.child.send(signal) }
                progress.stopping(signal: signal, running: running.count)
            }
            while signal == nil, running.count < jobs,
                let i = queue.firstIndex(where: { !SweepDirectory.runIsBusy(files.runPath($0)) })
            {
                let trial = queue.remove(at: i)
                if files.state(trial) == .done {
                    // Finished meanwhile by another process (a Slurm task, another sweep).
                    progress.note("\(trial.name) was finished by another process")
                    continue
                }
                do {
                    let attempt = try start(trial)
                    running.append(attempt)
                    progress.started(trial, resumed: attempt.resumed)
                } catch {
                    failed += 1
                    record(
                        trial,
                        TrialOutcome(
                            status: .failed, exitStatus: 127, error: "\(error)",
                            seconds: 0))
                }
            }
            let blocked = signal == nil && running.count < jobs ? queue : []
            for trial in blocked where !waitingNoted.contains(trial.index) {
                // A run still locked after a kill -9 of the sweep: its train process is saving.
                waitingNoted.insert(trial.index)
                progress.note("waiting for \(trial.name): another process still holds its run")
            }
            var still: [Running] = []
            for r in running {
                guard let status = r.child.poll() else { still.append(r); continue }
                let seconds = Date().timeIntervalSince(r.started)
                if status == 0 {
                    record(r.trial, TrialOutcome(status: .done, exitStatus: 0, error: nil, seconds: seconds))
                    progress.finished(r.trial, seconds: seconds, run: files.runPath(r.trial))
                } else if signal != nil
                    && (status == 130 || status == 143 || status == 128 + SIGINT
                        || status == 128 + SIGTERM)
                {
                    progress.interrupted(r.trial)  // no outcome: the next --resume continues it
                } else {
                    failed += 1
                    let tail = errorTail(files.errorLogPath(r.trial), from: r.errorOffset)
                    record(
                        r.trial,
                        TrialOutcome(
                            status: .failed, exitStatus: status, error: tail,
                            seconds: seconds))
                    progress.failed(r.trial, status: status, error: tail)
                }
            }
            running = still
            if running.isEmpty && (queue.isEmpty || signal != nil) { break }
            progress.tick(running: running.count, queued: queue.count)
            usleep(50_000)
        }
        progress.end(failed: failed, stopped: stop.caught)
        if let signal = stop.caught { return 128 + signal }
        return failed > 0 ? 1 : 0
    }

    private func start(_ trial: SweepTrial) throws -> Running {
        let run = files.runPath(trial)
        let resumed = files.state(trial) == .resumable
        let arguments =
            resumed
            ? ["train", "--headless", "--resume", run]
            : ["train", "--headless", "--out", run, "--threads", "1"] + trial.arguments
        let errorLog = files.errorLogPath(trial)
        let offset = (try? FileManager.default.attributesOfItem(atPath: errorLog)[.size] as? UInt64) ?? 0
        let child = try SweepChild.spawn(
            executable, arguments, stdout: files.outputLogPath(trial),
            stderr: errorLog)
        return Running(trial: trial, child: child, started: Date(), errorOffset: offset, resumed: resumed)
    }

    private func record(_ trial: SweepTrial, _ outcome: TrialOutcome) {
        do {
            try files.record(outcome, for: trial)
        } catch {
            progress.note("cannot record the outcome of \(trial.name): \(error)")
        }
    }

    /// The last lines of what the attempt wrote to stderr (at most 2,000 characters).
    func errorTail(_ path: String, from offset: UInt64) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let lines = text.split(separator: "\n").suffix(10).joined(separator: "\n")
        return String(lines.suffix(2000))
    }
}

/// SIGINT and SIGTERM, caught instead of ending the sweep, so it can pass them on and wait
/// for its trials to save.
final class SignalCatcher {
    private let state = Locked<(signal: Int32?, deliveries: Int, seen: Int)>((nil, 0, 0))
    private let sources: [any DispatchSourceSignal]

    init() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let state = self.state
        sources = [SIGINT, SIGTERM].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable in
                state.withLock { s in
                    s.signal = s.signal ?? sig
                    s.deliveries += 1
                }
            }
            source.resume()
            return source
        }
    }

    /// The first signal caught, if any.
    var caught: Int32? { state.withLock { $0.signal } }

    /// Whether a signal arrived since the last call.
    func takeNewDelivery() -> Bool {
        state.withLock { s in
            defer { s.seen = s.deliveries }
            return s.deliveries > s.seen
        }
    }
}
