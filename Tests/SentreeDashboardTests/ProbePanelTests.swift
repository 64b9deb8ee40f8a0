import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct ProbePanelTests {
    /// A snapshot over the fixture's whole vocabulary whose output bias favours `favoured`,
    /// so every node predicts that class: a stand-in for a model that changes its mind.
    static func snapshot(_ s: DashboardState, favouring favoured: Int, epoch: Int, step: Int) -> ModelSnapshot
    {
        let layout = ParameterLayout(
            ModelConfig(kind: .rnn, dim: 4, vocabularySize: s.setup.vocabulary!.count))
        var p = layout.initialParameters(seed: 1)
        let bias = try! #require(layout.tensors.first { $0.name == "bs" })
        for c in 0 ..< 5 { p[bias.range.lowerBound + c] = c == favoured ? 20 : 0 }
        return ModelSnapshot(layout: layout, parameters: p, epoch: epoch, step: step)
    }

    static func type(_ text: String, into s: inout DashboardState) -> [Command] {
        _ = s.handle(.char("i"))
        for c in text { _ = s.handle(.char(c)) }
        return s.handle(.enter)
    }

    /// The fixed rule's trees presented as a parser's: the panel shows what a probe says.
    struct StandInParser: SentenceTrees {
        var structure: TreeStructure { .parsed(devF1: 76.87) }
        func treebank(of sentences: [String], source: String) throws -> Treebank {
            try Treebank.fromSentences(sentences, source: source)
        }
    }

    @Test func aParsedProbeShowsTheParsersF1() throws {
        var s = try Fixture.state()
        s.setup.sentences = StandInParser()
        _ = Self.type("the movie is dull , really", into: &s)
        #expect(s.message == "probe added; 2 words not in the vocabulary read as <unk>")
        s.updateProbes(from: Self.snapshot(s, favouring: 3, epoch: 1, step: 4))
        let wide = render(s, width: 120, height: 40).text
        #expect(wide.contains(" tree ─ probe 1/1  pred 3  parsed · F1 76.9  2 <unk>"), "\(wide)")
        #expect(!wide.contains("approx"))
        // The list shows the sentence as typed.
        #expect(wide.contains("the movie is dull , really"))
        let narrow = render(s, width: 80, height: 24).text
        #expect(narrow.contains("probe 1/1  pred 3  parsed · F1 76.9"), "\(narrow)")
        let plain = render(s, width: 80, height: 24, options: RenderOptions(unicode: false)).text
        #expect(plain.contains("probe 1/1  pred 3  parsed - F1 76.9"), "\(plain)")
    }

    @Test func typedSentenceBecomesAShownProbe() throws {
        var s = try Fixture.state()
        #expect(Self.type("the movie is dull , really", into: &s) == [.saveProbes])
        #expect(s.views.probeInput == nil && s.views.shownProbe == 0)
        #expect(
            s.message == "probe added; 2 words not in the vocabulary read as <unk>; approximate tree: "
                + "no parser (`sentree parser train`, or --parser FILE)")
        var text = render(s, width: 120, height: 40).text
        #expect(text.contains(" tree ─ probe 1/1  approximate structure  2 <unk>"), "\(text)")
        #expect(text.contains("predictions appear with the first parameter snapshot"))
        s.updateProbes(from: Self.snapshot(s, favouring: 1, epoch: 1, step: 4))
        text = render(s, width: 120, height: 40).text
        #expect(text.contains("probe 1/1  pred 1  approximate structure  2 <unk>"))
        #expect(text.contains("1-  1.00 the movie is dull , really"), "\(text)")
        // At 80 columns the prediction comes first and the note is short, so nothing is cut.
        #expect(render(s, width: 80, height: 24).text.contains("probe 1/1  pred 1  approx. tree"))
        // Same text again: shown, not added twice.
        #expect(Self.type("the movie is dull , really", into: &s) == [])
        #expect(s.views.probes.count == 1)
    }

    /// The root flips as the model changes; the list keeps one root per epoch.
    @Test func historyKeepsTheRootOfEachEpoch() throws {
        var s = try Fixture.state()
        _ = Self.type("(3 (2 not) (3 bad))", into: &s)
        s.updateProbes(from: Self.snapshot(s, favouring: 1, epoch: 1, step: 4))
        s.updateProbes(from: Self.snapshot(s, favouring: 1, epoch: 1, step: 4))
        s.updateProbes(from: Self.snapshot(s, favouring: 2, epoch: 1, step: 6))
        s.updateProbes(from: Self.snapshot(s, favouring: 3, epoch: 2, step: 8))
        let probe = s.views.probes[0]
        #expect(probe.history == [.init(epoch: 1, root: 2), .init(epoch: 2, root: 3)])
        #expect(probe.predictionStep == 8)
        let text = render(s, width: 120, height: 40).text
        #expect(text.contains("▶3+  23 "), "\(text)")
        // A gold-labelled tree marks the nodes the model gets wrong.
        #expect(text.contains("3+  ✗2 1.00 not"), "\(text)")
        #expect(!text.contains("approximate"))
        #expect(text.contains(" tree ─ probe 1/1  gold 3 pred 3 ✓"))
    }

    @Test func badInputKeepsTheLineOpenWithItsError() throws {
        var s = try Fixture.state()
        // Neither a tree nor a sentence (a truncated tree alone reads as a sentence).
        #expect(Self.type("(3 (2 not) (3 b\u{7}ad)", into: &s) == [])
        #expect(s.views.probeInput == "(3 (2 not) (3 b\u{7}ad)")
        let message = try #require(s.message)
        #expect(s.messageIsError && message.hasPrefix("probe:1:16: control character"), "\(message)")
        let status = render(s, width: 120, height: 40).line(39)
        #expect(status.hasPrefix(" probe (sentence or tree): (3 (2 not) (3 b"), "\(status)")
        #expect(status.contains("Enter add · Esc cancel  probe:1:16: "), "\(status)")
        _ = s.handle(.escape)
        #expect(s.views.probeInput == nil && s.views.probes.isEmpty)
        // Keys typed into the line are text, not commands.
        _ = s.handle(.char("i"))
        #expect(s.handle(.char("q")) == [] && s.handle(.char("e")) == [] && !s.quitting)
        #expect(s.views.probeInput == "qe")
        // An empty line with no probes yet is an error, not a probe.
        _ = s.handle(.backspace)
        _ = s.handle(.backspace)
        #expect(s.handle(.enter) == [] && s.message!.contains("empty probe"))
    }

    /// Control characters typed into the line are refused by the InputText rules, and the
    /// message shows them escaped.
    @Test func hostileTextIsRefused() throws {
        var s = try Fixture.state()
        #expect(Self.type("bad \u{1B}]0;owned\u{7} film", into: &s) == [])
        #expect(s.views.probes.isEmpty && s.messageIsError)
        #expect(s.message!.hasPrefix("probe:1:5: ") && !s.message!.contains("\u{1B}"), "\(s.message!)")
        let status = render(s, width: 120, height: 40).line(39)
        #expect(!status.contains("\u{1B}") && !status.contains("\u{7}"))
    }

    @Test func nextAndPreviousMoveThroughProbesAndEnterGoesBack() throws {
        var s = try Fixture.state()
        for text in ["good", "bad", "so so"] { _ = Self.type(text, into: &s) }
        #expect(s.views.shownProbe == 2)
        _ = s.handle(.char("N"))
        _ = s.handle(.char("N"))
        #expect(s.views.shownProbe == 0)
        _ = s.handle(.char("N"))
        #expect(s.views.shownProbe == 0)
        _ = s.handle(.char("n"))
        #expect(s.views.shownProbe == 1)
        s.focus = .browser
        _ = s.handle(.enter)
        #expect(s.views.shownProbe == nil)
        #expect(render(s, width: 120, height: 40).text.contains(" tree ─ 1/4  gold 3"))
        // i and an empty line: back to the probes, at the newest.
        #expect(Self.type("", into: &s) == [])
        #expect(s.views.shownProbe == 2 && s.views.probeInput == nil && s.views.probes.count == 3)
    }

    @Test func probesFromTheSetupAreThereAtStart() throws {
        var setup = try Fixture.setup()
        setup.probes = try ["good film", "(1 dull)"].map { try Probe(parsing: $0, source: "t") }
        var s = DashboardState(setup: setup)
        #expect(s.views.probes.map(\.probe.text) == ["good film", "(1 dull)"])
        #expect(s.views.probes[0].unknownWords == 1 && s.views.probes[1].unknownWords == 0)
        s.updateProbes(from: Self.snapshot(s, favouring: 4, epoch: 3, step: 12))
        #expect(s.views.probes.allSatisfy { $0.prediction?.predicted.last == 4 })
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshots(size: (Int, Int)) throws {
        var s = try Fixture.state()
        for text in ["not bad at all .", "(4 (2 a) (4 (4 great) (2 film)))", "the movie is dull"] {
            _ = Self.type(text, into: &s)
        }
        for (epoch, favoured) in [1, 2, 3, 3, 4].enumerated() {
            s.updateProbes(
                from: Self.snapshot(s, favouring: favoured, epoch: epoch + 1, step: 4 * (epoch + 1)))
        }
        _ = s.handle(.char("N"))
        s.message = nil
        expectSnapshot(render(s, width: size.0, height: size.1), "probes-\(size.0)x\(size.1)")
    }
}

@Suite struct ProbesFromTheStartTests {
    static func setupWithProbe() throws -> DashboardSetup {
        var setup = try Fixture.setup()
        setup.probes = [try Probe(parsing: "(3 (2 not) (3 bad))", source: "probe")]
        return setup
    }

    /// `--probe` / probes.txt: the first probe is on screen at once, its row listed.
    @Test func givenProbesAreShownAtStart() throws {
        let s = DashboardState(setup: try Self.setupWithProbe())
        #expect(s.views.shownProbe == 0)
        let text = render(s, width: 120, height: 40).text
        #expect(text.contains(" tree ─ probe 1/1"), "\(text)")
        #expect(text.contains(" probes ─ root by epoch"), "\(text)")
        #expect(DashboardState(setup: try Fixture.setup()).views.shownProbe == nil)
    }

    /// Every epoch's evaluation adds to the history, even with no frame polled in between.
    @Test func everyEpochReachesTheHistory() throws {
        let setup = try Self.setupWithProbe()
        var s = DashboardState(setup: setup)
        for epoch in 1 ... 3 {
            var result = Fixture.epochResult(setup, epoch: epoch)
            let snap = ProbePanelTests.snapshot(s, favouring: epoch, epoch: epoch, step: 4 * epoch)
            result.dev = EvaluationReport(
                epoch: epoch, step: 4 * epoch, metrics: result.dev.metrics,
                outcomes: result.dev.outcomes, snapshot: snap)
            s.apply(.epoch(result))
        }
        #expect(s.views.probes[0].history.map(\.root) == [1, 2, 3])
    }
}
