import Foundation
import SentreeCore

/// What a sweep shows while it runs: on a terminal, one line per finished trial under a
/// status line redrawn in place (done / running / failed, ETA); otherwise plain lines only.
final class SweepProgress {
    let interactive: Bool
    private var total = 0
    private var done = 0
    private var failed = 0
    private var jobs = 1
    /// Durations of the trials finished by this process, for the ETA.
    private var durations: [Double] = []
    private let began = Date()
    private var lastDraw = Date.distantPast
    private var statusShown = false

    init(interactive: Bool) { self.interactive = interactive }

    func start(total: Int, done: Int, jobs: Int) {
        self.total = total
        self.done = done
        self.jobs = jobs
        let left = total - done
        line("sweep: \(total) trial\(total == 1 ? "" : "s"), \(done) done, \(left) to run, \(jobs) at a time")
    }

    func started(_ trial: SweepTrial, resumed: Bool) {
        if !interactive { line("start   \(trial.name)\(resumed ? " (resuming its run)" : "")") }
    }

    func finished(_ trial: SweepTrial, seconds: Double, run: String) {
        done += 1
        durations.append(seconds)
        var best = ""
        if let record = try? RunRecord.open(run), let b = record.best {
            best = "  best " + record.config.sentimentTask.figuresLine(b) + " (epoch \(b.place))"
        }
        line("done    \(trial.name)  \(String(format: "%.1f", seconds))s\(best)")
    }

    func failed(_ trial: SweepTrial, status: Int32, error: String) {
        failed += 1
        let last = error.split(separator: "\n").last.map(String.init) ?? "(no error output)"
        line("FAILED  \(trial.name)  exit \(status): \(TerminalText.sanitized(last))")
    }

    func interrupted(_ trial: SweepTrial) {
        line("stopped \(trial.name) (saved; resumes with sweep --resume)")
    }

    func stopping(signal: Int32, running: Int) {
        line("stopping: \(running) running trial\(running == 1 ? "" : "s") saving (signal \(signal))")
    }

    func note(_ text: String) { line("note: \(TerminalText.sanitized(text))") }

    func tick(running: Int, queued: Int) {
        guard interactive, Date().timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = Date()
        var text = "  \(done)/\(total) done  \(running) running  \(failed) failed  \(queued) queued"
        text += "  \(clock(Date().timeIntervalSince(began)))"
        if !durations.isEmpty {
            // Each slot runs a trial in about the mean time so far.
            let mean = durations.reduce(0, +) / Double(durations.count)
            let waves = (Double(queued + running) / Double(max(jobs, 1))).rounded(.up)
            text += "  ETA \(clock(waves * mean))"
        }
        FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + text).utf8))
        statusShown = true
    }

    func end(failed: Int, stopped: Int32?) {
        let elapsed = clock(Date().timeIntervalSince(began))
        if let stopped {
            line(
                "sweep stopped by signal \(stopped) after \(elapsed): \(done)/\(total) done; "
                    + "finish it with `sentree sweep --resume DIR`")
        } else {
            line("sweep finished in \(elapsed): \(done)/\(total) done, \(failed) failed")
        }
    }

    private func line(_ text: String) {
        let prefix = statusShown ? "\r\u{1B}[K" : ""
        statusShown = false
        FileHandle.standardOutput.write(Data((prefix + text + "\n").utf8))
    }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
