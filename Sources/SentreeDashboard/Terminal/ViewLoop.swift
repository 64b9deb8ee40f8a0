import Foundation
import SentreeCore

extension Dashboard {
    /// Shows finished or running runs without training them (`sentree view`) until the
    /// user quits; returns the exit status (0, or 130 / 143 after Ctrl-C / SIGTERM).
    ///
    /// `watcher` follows the runs' files; the tree view and browser show the predictions of
    /// the run under the runs panel's cursor.
    public static func view(setup: DashboardSetup, watcher: RunWatcher, checkpoint: CheckpointChoice) -> Int32
    {
        let signals = SignalWatch()
        guard let terminal = Terminal.open(advice: "", mouse: setup.mouse) else { return 1 }
        defer { terminal.close() }
        let options = RenderOptions(unicode: terminal.unicode)
        var state = DashboardState(setup: setup)
        state.trainer = .done  // nothing trains here: q leaves without asking
        state.compare = watcher.makeState(viewOnly: true, checkpoint: checkpoint)
        state.focus = .runs
        state.showPickedRun()
        let started = Date()
        // Drawn only when something shown changed: a key, a resize, the files, an expired
        // message. An idle view of a long run then costs a poll a second, not a full render
        // of every curve ten times a second.
        var frame = FrameGate()

        while true {
            if let sig = signals.received { return 128 + sig }
            frame.note(state.tick(now: Date().timeIntervalSince(started)))
            frame.note(watcher.poll(&state))
            frame.note(pollParser(&state))
            frame.note(refreshViewPrediction(&state))
            let (width, height) = terminal.size
            (state.views.screenWidth, state.views.screenHeight) = (width, height)
            if frame.shouldDraw(width: width, height: height) {
                terminal.draw(render(state, width: width, height: height, options: options))
            }
            let (key, resized) = terminal.readKey()
            frame.note(resized)
            guard let key else { continue }
            frame.note(true)
            let commands = state.handle(key)
            if commands.contains(.quit) { return 0 }
            if commands.contains(.saveProbes) {
                // view writes nothing into a run, so a probe typed here lasts for this session.
                state.message =
                    "probes change for this session only (view writes nothing into runs; "
                    + "train --probe keeps one)"
                state.messageIsError = false
            }
        }
    }

    /// Predicts the shown tree with the picked run's checkpoint, when it or the tree changed,
    /// and the probes, encoded with that run's vocabulary. Returns whether anything changed.
    @discardableResult
    static func refreshViewPrediction(_ state: inout DashboardState) -> Bool {
        let probeSteps = state.views.probes.map(\.predictionStep)
        let predicted = refreshTreePrediction(&state)
        return predicted || state.views.probes.map(\.predictionStep) != probeSteps
    }

    /// `refreshViewPrediction` without the change report; true when the tree was predicted.
    private static func refreshTreePrediction(_ state: inout DashboardState) -> Bool {
        if let c = state.compare, c.runs.indices.contains(c.cursor), let snapshot = c.runs[c.cursor].snapshot
        {
            let run = c.runs[c.cursor]
            for k in state.views.probes.indices where state.views.probes[k].encodedFor != run.path {
                state.views.probes[k] = ProbeView(state.views.probes[k].probe, vocabulary: run.vocabulary)
                state.views.probes[k].encodedFor = run.path
            }
            state.updateProbes(from: snapshot)
        }
        guard state.prediction == nil, let c = state.compare, c.runs.indices.contains(c.cursor),
            let snapshot = c.runs[c.cursor].snapshot, state.setup.dev.count > 0
        else { return false }
        let t = min(state.selectedTree, state.setup.dev.count - 1)
        state.prediction = snapshot.shownPrediction(
            tree: t, in: state.setup.dev, wordIDs: c.runs[c.cursor].devWordIDs)
        state.predictionStep = snapshot.step
        return true
    }
}
