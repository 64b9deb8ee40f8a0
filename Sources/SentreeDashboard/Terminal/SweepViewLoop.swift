import Foundation
import SentreeCore

extension Dashboard {
    /// Shows a sweep folder (`sentree view SWEEP`) until the user quits, re-reading it every
    /// second so it follows a sweep that runs, here or on a Slurm cluster; returns the exit
    /// status (0 after q, 130 / 143 after Ctrl-C / SIGTERM). Reads only: no lock, no writes.
    public static func viewSweep(path: String, mouse: Bool) -> Int32 {
        let signals = SignalWatch()
        var state: SweepViewState
        do {
            state = SweepViewState(snapshot: try SweepSnapshot.load(path))
        } catch {
            FileHandle.standardError.write(Data("Error: \(TerminalText.sanitized("\(error)"))\n".utf8))
            return 1
        }
        guard let terminal = Terminal.open(advice: "", mouse: mouse) else { return 1 }
        defer { terminal.close() }
        let options = RenderOptions(unicode: terminal.unicode)
        var lastRead = Date()
        while true {
            if let sig = signals.received { return 128 + sig }
            if Date().timeIntervalSince(lastRead) >= 1 {
                lastRead = Date()
                do {
                    state.snapshot = try SweepSnapshot.load(path)
                    state.problem = nil
                } catch {
                    state.problem = "cannot re-read the sweep: \(error)"
                }
            }
            let (width, height) = terminal.size
            terminal.draw(renderSweep(state, width: width, height: height, options: options))
            let (key, _) = terminal.readKey()
            if let key, state.handle(key) { return 0 }
        }
    }
}
