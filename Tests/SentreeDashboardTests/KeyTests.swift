import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct KeyTests {
    @Test func pauseResumeAndLearningRate() throws {
        var s = try Fixture.state()
        #expect(s.handle(.char(" ")) == [.pause])
        s.apply(.state(.paused))
        #expect(s.handle(.char("p")) == [.resume])
        #expect(s.handle(.char("+")) == [.setLearningRate(0.02 * 1.5)])
        #expect(s.handle(.char("-")) == [.setLearningRate(0.02 / 1.5)])
        #expect(s.handle(.char("e")) == [.evaluate])
        #expect(s.handle(.char("s")) == [.save])
    }

    /// `Double("0x10")` is 16: a typo'd or pasted hex, `inf` or `nan` must not become a rate.
    @Test(arguments: ["0x10", "0x1p-4", "inf", "nan", "1e", ".", "1,5", "0.0"])
    func typedLearningRateIsPlainDecimalOnly(_ typed: String) throws {
        var s = try Fixture.state()
        _ = s.handle(.char("l"))
        for c in typed { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [])
        #expect(s.messageIsError && s.message!.contains("is not a learning rate"), "\(s.message ?? "")")
    }

    @Test(arguments: [("1e-3", 0.001), (".5", 0.5), ("+2", 2.0), ("3.", 3.0), (" 0.25 ", 0.25)])
    func typedLearningRateTakesDecimalForms(_ typed: String, _ rate: Double) throws {
        var s = try Fixture.state()
        _ = s.handle(.char("l"))
        for c in typed { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [.setLearningRate(rate)])
    }

    @Test func typedLearningRateIsValidated() throws {
        var s = try Fixture.state()
        _ = s.handle(.char("l"))
        for c in "abc" { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [])
        #expect(s.messageIsError && s.message!.contains("'abc' is not a learning rate"))
        for _ in 0 ..< 3 { _ = s.handle(.backspace) }
        for c in "-1" { _ = s.handle(.char(c)) }
        #expect(s.handle(.enter) == [])
        for _ in 0 ..< 2 { _ = s.handle(.backspace) }
        for c in "0.05" { _ = s.handle(.char(c)) }
        #expect(render(s, width: 80, height: 24).line(23).hasPrefix(" learning rate: 0.05_"))
        #expect(s.handle(.enter) == [.setLearningRate(0.05)])
        #expect(s.input == .none)
    }

    @Test func quitAsksWhileTrainingAndNotWhenDone() throws {
        var s = try Fixture.state()
        #expect(s.handle(.char("q")) == [])
        #expect(render(s, width: 80, height: 24).line(23).contains("Quit?"))
        #expect(s.handle(.char("n")) == [])
        #expect(!s.quitting)
        _ = s.handle(.char("q"))
        #expect(s.handle(.char("y")) == [.quit])
        var done = try Fixture.state()
        done.apply(.state(.done))
        #expect(done.handle(.char("q")) == [.quit])
    }

    @Test func browserFilterSortSearchAndOpen() throws {
        var s = try Fixture.state()
        #expect(s.browserRows == [0, 1, 2, 3])
        _ = s.handle(.char("w"))
        #expect(s.browserRows == [1, 2])
        _ = s.handle(.char("w"))
        _ = s.handle(.char("o"))
        #expect(s.browserRows == [1, 2, 0, 3])
        _ = s.handle(.char("o"))
        _ = s.handle(.char("/"))
        for c in "FILM" { _ = s.handle(.char(c)) }
        _ = s.handle(.enter)
        #expect(s.browserRows == [2])
        _ = s.handle(.char("/"))
        for _ in 0 ..< 4 { _ = s.handle(.backspace) }
        _ = s.handle(.enter)
        #expect(s.browserRows.count == 4)
        _ = s.handle(.down)
        _ = s.handle(.down)
        _ = s.handle(.enter)
        #expect(s.selectedTree == 2)
        _ = s.handle(.char("n"))
        #expect(s.selectedTree == 3)
        _ = s.handle(.char("N"))
        #expect(s.selectedTree == 2)
    }

    @Test func tabCyclesFocusAndArrowsScrollTheTree() throws {
        var s = try Fixture.state()
        #expect(s.focus == .browser)
        _ = s.handle(.tab)
        #expect(s.focus == .tree)
        _ = s.handle(.down)
        #expect(s.treeScroll == 1)
        _ = s.handle(.backTab)
        #expect(s.focus == .browser)
        _ = s.handle(.char("]"))
        #expect(s.loss.smoothing == 0.95)
        _ = s.handle(.char("g"))
        #expect(s.logScale)
    }

    @Test func eventsUpdateTheState() throws {
        var s = try Fixture.state()
        #expect(s.loss.count == 6 && s.epochEnds == [4] && s.bestEpoch == 1)
        s.apply(.learningRateChanged(0.5))
        #expect(s.learningRate == 0.5 && s.message == "learning rate set to 0.5")
        // Done with steps left (a stop by patience, or quitting): the progress stays put.
        let progress = s.progress
        s.apply(.state(.done))
        #expect(!s.isTraining && progress > 0 && progress < 1 && s.progress == progress)
    }
}
