import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// The dashboard's threading without ncurses: a real trainer posts to an `EventInbox` from
/// its queue while this thread drains it, renders, reads snapshots and steers by keys, as
/// `Dashboard.run` does. CI also runs this under ThreadSanitizer.
@Suite struct LiveTrainerTests {
    @Test func keysSteerARunningTrainerThroughTheInbox() throws {
        let setup = try Fixture.setup(epochs: 1_000_000)
        let train = try Treebank.parse(Fixture.devText, source: "train")
        var config = setup.config
        config.dim = 4
        config.batchSize = 1
        config.threads = 2
        let dir = NSTemporaryDirectory() + "sentree-live-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inbox = EventInbox()
        let trainer = try Trainer(
            config: config, train: train, dev: setup.dev, runDirectory: dir,
            onEvent: inbox.post)
        var state = DashboardState(setup: setup)

        /// One frame of the dashboard loop, then `key` if any; polls until `done` (10 s at most).
        func frames(until done: (DashboardState) -> Bool, key: Key? = nil) -> Bool {
            if let key { state.handle(key).forEach { $0.send(to: trainer) } }
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                for event in inbox.drain() { state.apply(event) }
                Dashboard.refreshPrediction(&state, trainer)
                _ = render(state, width: 120, height: 40)
                if done(state) { return true }
                usleep(1_000)
            }
            return false
        }
        trainer.start()
        #expect(frames { $0.step > 20 && $0.prediction != nil })
        #expect(frames(until: { $0.trainer == .paused }, key: .char(" ")))
        let pausedAt = state.step
        let raised = config.learningRate * learningRateFactor
        #expect(frames(until: { $0.learningRate == raised }, key: .char("+")))
        #expect(frames(until: { $0.message?.hasPrefix("dev now") == true }, key: .char("e")))
        #expect(frames(until: { $0.message?.hasPrefix("saved") == true }, key: .char("s")))
        #expect(state.step == pausedAt, "commands while paused must not train")
        #expect(frames(until: { $0.trainer == .running && $0.step > pausedAt + 20 }, key: .char(" ")))
        #expect(state.learningRate == raised)
        // While training, `q` asks first; `y` confirms.
        #expect(frames(until: { $0.input == .confirmQuit }, key: .char("q")))
        #expect(frames(until: { !$0.isTraining }, key: .char("y")))
        trainer.wait()
        #expect(state.trainer == .stopped)
        #expect(try Checkpoint.read(from: dir + "/last.safetensors").progress.learningRate == raised)
    }
}
