import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// Training keys once training is over: they act where the held trainer can, and say why
/// not where it cannot; `x` adds epochs.
@Suite struct FinishedRunKeyTests {
    @Test func doneRunStillActsAndPauseSaysHowToGoOn() throws {
        var s = try Fixture.state()
        s.apply(.state(.done))
        #expect(s.handle(.char(" ")) == [])
        #expect(s.messageIsError && s.message!.contains("training finished: x adds 10 epochs"))
        #expect(render(s, width: 120, height: 40).line(39).contains("training finished"))
        #expect(s.handle(.char("e")) == [.evaluate] && s.handle(.char("s")) == [.save])
        #expect(s.handle(.char("+")) == [.setLearningRate(0.02 * 1.5)])
        _ = s.handle(.char("l"))
        for c in "0.01" { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [.setLearningRate(0.01)])
        #expect(s.handle(.char("x")) == [.extend(10)])
        s.apply(.extended(epochs: 15))
        s.apply(.state(.running))
        #expect(s.setup.config.epochs == 15 && s.isTraining)
        #expect(render(s, width: 120, height: 40).line(1).hasPrefix(" epoch 2/15 "))
    }

    @Test(arguments: [TrainerState.stopped, .failed, .diverged])
    func endedRunSaysSoForEveryTrainingKey(_ end: TrainerState) throws {
        var s = try Fixture.state()
        s.apply(.state(end))
        for key in [" ", "p", "+", "-", "l", "e", "s", "x"] {
            #expect(s.handle(.char(Character(key))) == [], "\(key)")
            #expect(s.message?.contains("training has ended (\(end.rawValue))") == true, "\(key)")
        }
        #expect(s.input == .none)
    }

    @Test func xExtendsWhileTrainingToo() throws {
        var s = try Fixture.state()
        #expect(s.handle(.char("x")) == [.extend(10)])
        #expect(s.message == "adding 10 epochs")
    }
}

/// A real trainer held when done: `x` trains on, the epochs continue in order in the log,
/// and the run's `epochs` setting grows in `run.json` and `last`.
@Suite struct HeldTrainerTests {
    @Test func finishedRunIsExtendedAndStaysConsistent() throws {
        let setup = try Fixture.setup(epochs: 2)
        let train = try Treebank.parse(Fixture.devText, source: "train")
        var config = setup.config
        config.dim = 4
        config.batchSize = 2
        config.threads = 1
        let dir = NSTemporaryDirectory() + "sentree-held-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inbox = EventInbox()
        let trainer = try Trainer(
            config: config, train: train, dev: setup.dev, runDirectory: dir,
            onEvent: inbox.post)
        var state = DashboardState(setup: setup)
        trainer.holdWhenDone()

        func frames(until done: (DashboardState) -> Bool, key: Key? = nil) -> Bool {
            if let key { state.handle(key).forEach { $0.send(to: trainer) } }
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                for event in inbox.drain() { state.apply(event) }
                if done(state) { return true }
                usleep(1_000)
            }
            return false
        }
        trainer.start()
        #expect(frames { $0.trainer == .done && $0.epochs.count == 2 })
        // Held: a learning rate and an evaluation still act, and the state stays DONE.
        _ = state.handle(.char("l"))
        for c in "0.005" { _ = state.handle(.char(c)) }
        state.handle(.enter).forEach { $0.send(to: trainer) }
        #expect(frames { $0.learningRate == 0.005 })
        #expect(frames(until: { $0.message?.hasPrefix("dev now") == true }, key: .char("e")))
        #expect(frames { $0.trainer == .done })
        #expect(frames(until: { $0.trainer == .done && $0.epochs.count == 12 }, key: .char("x")))
        #expect(state.setup.config.epochs == 12)
        #expect(state.epochs.map(\.epoch) == Array(1 ... 12))
        #expect(state.epochs.last?.epoch == 12)
        trainer.stop()
        trainer.wait()
        let log = try MetricsLog.readEpochs(from: dir + "/metrics.jsonl")
        #expect(log.map(\.epoch) == Array(1 ... 12))
        #expect(log[2].learningRate == 0.005)
        let runConfig = try RunFiles(path: dir).readConfig()
        #expect(runConfig?.epochs == 12)
        let last = try Checkpoint.read(from: dir + "/last.safetensors")
        #expect(last.config.epochs == 12 && last.progress.epochsCompleted == 12)
        let text = try String(contentsOfFile: dir + "/metrics.jsonl", encoding: .utf8)
        #expect(text.contains("\"epochs\":12") && text.contains("\"event\":\"extend\""))
    }
}
