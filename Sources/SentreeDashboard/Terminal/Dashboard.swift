import Dispatch
import Foundation
import SentreeCore

/// The live training dashboard.
public enum Dashboard {
    /// Runs the dashboard on the calling thread until the user quits; returns the exit status.
    ///
    /// Training runs on the trainer's queue; this loop drains `inbox`, folds events into the
    /// state, redraws about ten times a second and turns keys into trainer commands.
    /// Ctrl-C and SIGTERM stop training (saving `last`) and restore the terminal; the status
    /// is then 130 or 143, else 1 if the trainer failed, else 0.
    /// `watcher` follows the runs of `--compare` beside the trained one.
    public static func run(
        setup: DashboardSetup, control: any TrainerControl, inbox: EventInbox,
        watcher: RunWatcher? = nil, start: @Sendable () -> Void
    ) -> Int32 {
        let signals = SignalWatch()

        guard let terminal = Terminal.open(advice: "; use --headless", mouse: setup.mouse) else { return 1 }
        let options = RenderOptions(unicode: terminal.unicode)
        var state = DashboardState(setup: setup)
        state.compare = watcher?.makeState(viewOnly: false)
        let started = Date()
        // A finished run stays steerable: `x` adds epochs, `e` and `s` act on the final parameters.
        control.holdWhenDone()
        var quitRequested: Date? = nil
        var signalled: Int32? = nil
        start()

        while true {
            for event in inbox.drain() { state.apply(event) }
            if state.isTraining { state.elapsed = Date().timeIntervalSince(started) }
            state.tick(now: Date().timeIntervalSince(started))
            pollParser(&state)
            refreshPrediction(&state, control)
            watcher?.poll(&state)

            if let sig = signals.received, quitRequested == nil {
                signalled = sig
                state.quitting = true
                state.input = .none
                control.stop()
                quitRequested = Date()
            }
            if let since = quitRequested, !state.isTraining || Date().timeIntervalSince(since) > 60 { break }

            let (width, height) = terminal.size
            (state.views.screenWidth, state.views.screenHeight) = (width, height)
            terminal.draw(render(state, width: width, height: height, options: options))

            let (key, _) = terminal.readKey()
            guard let key else { continue }
            for command in state.handle(key) {
                if command == .saveProbes { saveProbes(&state) }
                if command == .quit {
                    if quitRequested != nil { continue }
                    quitRequested = Date()
                }
                command.send(to: control)
            }
        }
        terminal.close()
        // After endwin, on the restored screen: what the session achieved stays in the
        // scrollback, as after a headless run.
        if let summary = state.exitSummary {
            print(summary)
            fflush(nil)
        }
        if let signalled { return 128 + signalled }
        return state.trainer == .failed || state.trainer == .diverged ? 1 : 0
    }

    /// Writes the probe list to `RUN/probes.txt`; a failure is shown, the probes stay.
    static func saveProbes(_ state: inout DashboardState) {
        do {
            try Probes.save(state.views.probes.map(\.probe), runDirectory: state.setup.runDirectory)
        } catch {
            state.message = "could not save \(Probes.fileName): \(error)"
            state.messageIsError = true
        }
    }

    /// Recomputes the shown tree's and the probes' predictions when the snapshot or the tree changed.
    static func refreshPrediction(_ state: inout DashboardState, _ control: any TrainerControl) {
        guard let snapshot = control.latestSnapshot else { return }
        state.updateProbes(from: snapshot)
        guard state.setup.dev.count > 0 else { return }
        if state.prediction != nil && state.predictionStep == snapshot.step { return }
        let t = min(state.selectedTree, state.setup.dev.count - 1)
        state.prediction = snapshot.shownPrediction(
            tree: t, in: state.setup.dev, wordIDs: state.setup.devWordIDs)
        state.predictionStep = snapshot.step
    }
}
