import SentreeCore
import Testing
@testable import SentreeDashboard

/// Status-bar messages give the key hints back: at the next key, and (unless they are
/// errors) after a few seconds.
@Suite struct MessageTests {
    @Test func messageExpiresAndTheKeyHintsReturn() throws {
        var s = try Fixture.state()
        s.tick(now: 10)
        _ = s.handle(.char("q"))
        _ = s.handle(.char("n"))
        #expect(render(s, width: 120, height: 40).line(39).hasPrefix(" quit cancelled "))
        s.tick(now: 10 + messageLifetime - 0.1)
        #expect(s.message == "quit cancelled")
        s.tick(now: 10 + messageLifetime)
        #expect(s.message == nil)
        #expect(render(s, width: 120, height: 40).line(39).hasPrefix(" space pause  +/- lr"))
    }

    @Test func errorStaysUntilTheNextKey() throws {
        var s = try Fixture.state()
        s.apply(.message("the loss jumped"))
        s.tick(now: 1_000)
        #expect(s.message == "the loss jumped")
        _ = s.handle(.char("w"))
        #expect(s.message == nil)
        #expect(render(s, width: 120, height: 40).line(39).hasPrefix(" space pause"))
    }

    @Test func refusedLearningRateGoesWhenTheUserEdits() throws {
        var s = try Fixture.state()
        _ = s.handle(.char("l"))
        for c in "abc" { _ = s.handle(.char(c)) }
        _ = s.handle(.enter)
        #expect(render(s, width: 120, height: 40).line(39).contains("'abc' is not a learning rate"))
        _ = s.handle(.backspace)
        let line = render(s, width: 120, height: 40).line(39)
        #expect(!line.contains("not a learning rate"))
        #expect(line.hasPrefix(" learning rate: ab"))
    }

    @Test func newMessageRestartsTheTimer() throws {
        var s = try Fixture.state()
        s.tick(now: 1)
        s.apply(.learningRateChanged(0.5))
        s.tick(now: 4)
        s.apply(.learningRateChanged(0.25))
        s.tick(now: 1 + messageLifetime + 0.5)
        #expect(s.message == "learning rate set to 0.25")
    }
}

@Suite struct ExitSummaryTests {
    @Test func summaryNamesTheBestEpochItsFiguresAndTheRun() throws {
        var s = try Fixture.state()
        // Fixture's epoch 1: roots 3 of 4 right, nodes 13 of 15, binary roots 2 of 3.
        #expect(
            s.exitSummary == "best dev fine root 75.00% at epoch 1 (fine all 86.67%, "
                + "binary root 66.67%): runs/test/best.safetensors")
        var later = Fixture.epochResult(s.setup, epoch: 2)
        later.isBest = false
        s.apply(.epoch(later))
        #expect(s.exitSummary?.contains("at epoch 1 ") == true)
    }

    @Test func noSummaryBeforeAnEpochEnds() throws {
        let s = DashboardState(setup: try Fixture.setup())
        #expect(s.exitSummary == nil)
    }
}
