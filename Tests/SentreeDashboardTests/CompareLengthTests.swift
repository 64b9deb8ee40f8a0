import SentreeCore
import Testing
@testable import SentreeDashboard

/// `c` while runs are compared: accuracy by length, one column per run, best marked.
@Suite struct CompareLengthTests {
    /// Metrics of a run that predicts every node of the fixture's dev trees as its gold label
    /// (`perfect`) or as neutral.
    static func metrics(_ dev: Treebank, perfect: Bool) -> Metrics {
        var m = Metrics()
        for t in 0 ..< dev.count {
            let r = dev.nodes(of: t)
            m.byLength.count(tree: t, of: dev, predicted: r.map { perfect ? dev.labels[$0] : 2 })
        }
        return m
    }

    static func state() throws -> DashboardState {
        var s = try Fixture.viewState(runs: 2)
        s.compare!.runs[0].metrics = Self.metrics(s.setup.dev, perfect: false)
        s.compare!.runs[1].metrics = Self.metrics(s.setup.dev, perfect: true)
        // c: the picked run's confusion matrices, how they differ from the other run's, lengths.
        for view in [AccuracyView.confusion, .difference, .length] {
            #expect(s.handle(.char("c")) == [])
            #expect(s.views.accuracy == view)
        }
        return s
    }

    @Test func wideScreenShowsRootAndFinePerRun() throws {
        let text = render(try Self.state(), width: 120, height: 40).text
        #expect(text.contains(" length ─ dev % by words, best checkpoints"), "\(text)")
        #expect(text.contains(" words roots root ●A    fine root ■B    fine"), "\(text)")
        // Four sentences of 2 to 4 words; one neutral root among them, 12 of 24 nodes neutral.
        #expect(text.contains("  1-10     4   25.0    50.0   100.0*  100.0*"), "\(text)")
        #expect(text.contains(" root: sentences  fine: all nodes  * best"))
    }

    @Test func smallScreenKeepsRootAccuracyOnly() throws {
        var s = try Self.state()
        let grid = render(s, width: 80, height: 24)
        #expect(grid.text.contains(" words roots root ●A root ■B"), "\(grid.text)")
        #expect(grid.text.contains("  1-10     4   25.0   100.0*"), "\(grid.text)")
        #expect(grid.text.contains(" length ─ dev % by words ──"))
        #expect(grid.text.contains(" root: sentences by length  * best"))
        // c again: back to the curves.
        _ = s.handle(.char("c"))
        #expect(render(s, width: 80, height: 24).text.contains(" accuracy ─ dev fine root %"))
    }

    @Test func runWithoutCheckpointShowsADash() throws {
        var s = try Self.state()
        s.compare!.runs[0].metrics = nil
        let text = render(s, width: 120, height: 40).text
        #expect(text.contains("  1-10     4       -       -  100.0   100.0 "), "\(text)")
    }

    /// At 80 columns the header still says which checkpoint the trees come from.
    @Test func narrowViewHeaderNamesTheCheckpoint() throws {
        let header = render(try Fixture.viewState(runs: 2), width: 80, height: 24).line(1)
        #expect(header.contains("trees: best, epoch 6"), "\(header)")
    }
}
