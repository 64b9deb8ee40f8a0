import Foundation
import Testing
@testable import SentreeCore
@testable import SentreeDashboard

/// The parser the dashboard trains in the background when a plain sentence needs one.
@Suite struct BackgroundParserTests {
    /// A parser with random weights over a few words: its trees are arbitrary but are not
    /// the fixed rule's, which is all the state needs.
    static func parser() -> SpanParser {
        var config = ParserConfig()
        config.hidden = 16
        config.spanHidden = 16
        let features = ParserFeatures.build(from: [["the", "movie", "is", "dull", "."]])
        let layout = ParserLayout(
            config: config, wordCount: features.words.count, suffixCount: features.suffixes.count)
        return SpanParser(
            features: features, layout: layout, parameters: layout.initialParameters(seed: 3),
            info: ["dev_f1": "61.25"])
    }

    /// A state with a job that is never started (its files do not exist), a plain-sentence
    /// probe (approximate) and a tree probe.
    static func state() throws -> DashboardState {
        var s = try Fixture.state()
        s.setup.parserJob = ParserTrainingJob(
            train: "/nonexistent/train.txt", dev: "/nonexistent/dev.txt", out: "/nonexistent/p",
            options: ParserTrainingOptions())
        #expect(ProbePanelTests.type("(3 (2 not) (1 bad))", into: &s) == [.saveProbes])
        #expect(ProbePanelTests.type("the movie is dull , really", into: &s) == [.saveProbes])
        #expect(
            (s.message ?? "").hasSuffix(
                "; approximate tree until the parser training in the background is done"))
        return s
    }

    @Test func progressShowsInTheProbesTitle() throws {
        var s = try Self.state()
        #expect(s.hasApproximateProbes)
        s.apply(parserStatus: .training(fraction: 0.4, epoch: 5, epochs: 10))
        let wide = render(s, width: 120, height: 40).text
        #expect(wide.contains(" tree ─ probe 2/2  approximate structure  parser 40%"), "\(wide)")
        #expect(render(s, width: 80, height: 24).text.contains("approx. tree  parser 40%"))
        // A tree probe is never approximate, so the count is not shown for it.
        s.showProbe(0)
        #expect(!render(s, width: 120, height: 40).text.contains("parser 40%"))
    }

    @Test func aTrainedParserReparsesTheApproximateProbesOnly() throws {
        var s = try Self.state()
        s.updateProbes(from: ProbePanelTests.snapshot(s, favouring: 1, epoch: 1, step: 4))
        let given = s.views.probes[0]
        let parser = Self.parser()
        s.apply(parserStatus: .finished(parser, cacheError: nil))
        #expect(s.setup.parserJob == nil && s.views.parserProgress == nil)
        #expect(s.message == "parser trained (dev F1 61.2): 1 probe re-parsed" && !s.messageIsError)
        #expect(s.views.probes[0].probe.treebank.left == given.probe.treebank.left)
        #expect(s.views.probes[0].prediction != nil)
        let reparsed = s.views.probes[1]
        #expect(reparsed.probe.structure == .parsed(devF1: 61.25))
        let expected = parser.parse([["the", "movie", "is", "dull", ",", "really"]])[0]
        let r = reparsed.probe.treebank.nodes(of: 0)
        #expect(Array(reparsed.probe.treebank.left[r]) == expected.left)
        #expect(Array(reparsed.probe.treebank.right[r]) == expected.right)
        // Its predictions were made on the old tree: they start over with the next snapshot.
        #expect(reparsed.prediction == nil && reparsed.history.isEmpty)
        #expect(!s.hasApproximateProbes)
        #expect(render(s, width: 120, height: 40).text.contains("probe 2/2  parsed · F1 61.2"))
        // Probes typed from now on are parsed too.
        _ = ProbePanelTests.type("a dull movie", into: &s)
        #expect(s.views.probes[2].probe.structure == .parsed(devF1: 61.25))
        #expect(s.message == "probe added")
    }

    @Test func aParserThatCouldNotBeCachedIsUsedAndTheMessageSaysSo() throws {
        var s = try Self.state()
        s.apply(parserStatus: .finished(Self.parser(), cacheError: "read-only file system"))
        #expect(
            s.message == "parser trained (dev F1 61.2): 1 probe re-parsed; not cached: read-only file system")
        #expect(s.messageIsError && !s.hasApproximateProbes)
    }

    @Test func aFailedTrainingKeepsTheProbesAndSaysWhy() throws {
        var s = try Self.state()
        let before = s.views.probes.map(\.probe.treebank.left)
        s.apply(parserStatus: .failed("train.txt:3:4: label 7 is outside 0-4"))
        #expect(s.setup.parserJob == nil && s.messageIsError)
        #expect(
            (s.message ?? "").hasSuffix(
                "probes keep the approximate tree: train.txt:3:4: label 7 is outside 0-4"))
        #expect(s.views.probes.map(\.probe.treebank.left) == before)
        // Later statuses of the dropped job change nothing.
        s.apply(parserStatus: .finished(Self.parser(), cacheError: nil))
        #expect(s.hasApproximateProbes)
    }

    /// The job itself: trains once however often it is started, writes the parser where it
    /// was told, and that file parses as the parser it reports.
    @Test func theJobTrainsOnceAndCachesItsParser() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sentree-job-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trees = """
            (3 (2 The) (3 (3 (2 movie) (3 works)) (2 .)))
            (1 (2 It) (1 (1 (2 is) (1 dull)) (2 .)))
            (4 (4 (2 A) (4 (4 great) (2 film))) (2 !))
            (2 (2 Nothing) (2 happens))
            """
        try trees.write(toFile: dir + "/train.txt", atomically: true, encoding: .utf8)
        try trees.write(toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
        var options = ParserTrainingOptions()
        options.epochs = 2
        options.threads = 1
        options.config.hidden = 16
        options.config.spanHidden = 16
        let job = ParserTrainingJob(
            train: dir + "/train.txt", dev: dir + "/dev.txt", out: dir + "/cache/parser.safetensors",
            options: options)
        guard case .waiting = job.status else { Issue.record("started before start()"); return }
        job.start()
        job.start()
        let deadline = Date().addingTimeInterval(120)
        var parser: SpanParser? = nil
        while Date() < deadline {
            if case .finished(let p, let cacheError) = job.status {
                #expect(cacheError == nil)
                parser = p
                break
            }
            if case .failed(let reason) = job.status { Issue.record("failed: \(reason)"); return }
            usleep(20_000)
        }
        let trained = try #require(parser)
        let cached = try ParserFile.read(from: dir + "/cache/parser.safetensors")
        let sentence = [["a", "great", "movie", "is", "dull", "."]]
        #expect(cached.parse(sentence)[0].left == trained.parse(sentence)[0].left)
        #expect(cached.devF1 == trained.devF1 && trained.devF1 != nil)
    }
}
