import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct CompareKeyTests {
    @Test func trainingKeysSayViewOnly() throws {
        var s = try Fixture.viewState(runs: 2)
        for key in ["p", "+", "-", "l", "e", "s"] {
            s.message = nil
            #expect(s.handle(.char(Character(key))) == [])
            #expect(s.messageIsError && s.message?.hasPrefix("view only") == true, "key \(key)")
            #expect(s.input == .none)
        }
        #expect(render(s, width: 80, height: 24).line(23).hasPrefix(" view only"))
        // q leaves at once: nothing trains, so there is nothing to confirm.
        #expect(s.handle(.char("q")) == [.quit])
    }

    @Test func cursorPicksWhoseTreesAreShown() throws {
        var s = try Fixture.viewState(runs: 3)
        #expect(s.outcomes.map(\.predictedRoot) == [3, 2, 4, 3])
        s.predictionStep = 4
        _ = s.handle(.down)
        #expect(s.compare?.cursor == 1)
        #expect(s.outcomes.map(\.predictedRoot) == [4, 1, 0, 2])
        #expect(s.predictionStep == nil, "the tree view must be predicted again by the new run")
        _ = s.handle(.end)
        #expect(s.compare?.cursor == 2)
        _ = s.handle(.down)
        #expect(s.compare?.cursor == 2)
        _ = s.handle(.home)
        #expect(s.compare?.cursor == 0)
        // Away from the runs panel the arrows move the browser again.
        _ = s.handle(.tab)
        #expect(s.focus == .browser)
        _ = s.handle(.down)
        #expect(s.compare?.cursor == 0 && s.browserCursor == 1)
    }

    @Test func disagreementFilterKeepsTreesTheTwoRunsPredictDifferently() throws {
        var s = try Fixture.viewState(runs: 3)
        _ = s.handle(.char("d"))
        // Run A is wrong on trees 1 and 3, run B on 0 and 2: they disagree everywhere.
        #expect(s.browserRows == [0, 1, 2, 3])
        #expect(s.message == "dev trees where rnn-base and rnn2-deep disagree at the root")
        // Each row shows the other run's root beside the picked run's.
        #expect(render(s, width: 120, height: 40).text.contains("✓ 3→3 B4   0.00 The movie works ."))
        _ = s.handle(.down)
        _ = s.handle(.down)  // run C (like A) against A: they agree everywhere
        #expect(s.browserRows == [])
        #expect(s.message == "dev trees where rntn-tensor and rnn-base disagree at the root")
        #expect(render(s, width: 120, height: 40).line(2).contains("disagree: C vs A"))
        // At 80 columns the title leaves out its explanation, not the pair.
        let narrow = render(s, width: 80, height: 24).line(2)
        #expect(narrow.contains("3 of 3 shown  trees from best  disagree: C vs A"), "\(narrow)")
        _ = s.handle(.char("d"))
        #expect(s.browserRows == [0, 1, 2, 3])
        var one = try Fixture.viewState(runs: 1)
        _ = one.handle(.char("d"))
        #expect(one.messageIsError && one.message == "the disagreement filter needs two runs")
    }

    @Test func spaceTogglesVisibilityInViewAndPausesInTrain() throws {
        var s = try Fixture.viewState(runs: 2)
        #expect(s.handle(.char(" ")) == [])
        #expect(s.compare?.hidden == [0])
        #expect(s.handle(.char("v")) == [])
        #expect(s.compare?.hidden == [])
        var t = try Fixture.compareTrainState(runs: 2)
        #expect(t.handle(.char(" ")) == [.pause])
        #expect(t.handle(.char("v")) == [])
        #expect(t.compare?.hidden == [0])
    }

    @Test func trainCompareListsTheLiveRunFirstAndCanFoldAway() throws {
        var s = try Fixture.compareTrainState(runs: 2)
        #expect(s.comparedRuns.map(\.name) == ["test", "rnn2-deep", "rntn-tensor"])
        #expect(s.comparedRuns[0].isLive && s.comparedRuns[0].epochs.map(\.epoch) == [1])
        // Tab reaches the runs panel only while it shows.
        var seen: [Panel] = []
        for _ in 0 ..< 5 { _ = s.handle(.tab); seen.append(s.focus) }
        #expect(seen.contains(.runs))
        _ = s.handle(.char("r"))
        #expect(s.compare?.showRuns == false)
        #expect(render(s, width: 120, height: 40).text.contains(" loss ─ "))
        seen = []
        for _ in 0 ..< 5 { _ = s.handle(.tab); seen.append(s.focus) }
        #expect(!seen.contains(.runs))
        var plain = try Fixture.state()
        seen = []
        for _ in 0 ..< 5 { _ = plain.handle(.tab); seen.append(plain.focus) }
        #expect(!seen.contains(.runs))
        #expect(plain.handle(.char("m")) == [] && plain.compare == nil)
    }

    @Test func bestOrLastIsTheWatchersChoice() throws {
        var s = try Fixture.viewState(runs: 2)
        _ = s.handle(.char("b"))
        #expect(s.compare?.checkpoint == .last)
        #expect(render(s, width: 120, height: 40).line(2).contains("trees from last"))
    }
}
