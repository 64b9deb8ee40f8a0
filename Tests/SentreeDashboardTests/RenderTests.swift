import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

@Suite struct RenderTests {
    @Test(arguments: [(79, 24), (80, 23), (60, 20)])
    func tooSmallShowsEnlargeMessage(size: (Int, Int)) throws {
        let grid = render(try Fixture.state(), width: size.0, height: size.1)
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        #expect(lines.contains("Terminal too small: \(size.0)x\(size.1)."))
        #expect(lines.contains("Enlarge it to at least 80x24."))
        #expect(lines.contains("Training continues; q quits."))
        #expect(lines.filter { !$0.isEmpty }.count == 3)
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func everyPanelAtEverySize(size: (Int, Int)) throws {
        let grid = render(try Fixture.state(), width: size.0, height: size.1)
        #expect(grid.width == size.0 && grid.height == size.1)
        #expect(grid.line(0).hasPrefix(" sentree   rnn d=30  adagrad  l2 0.001  batch 25  seed 1   RUNNING "))
        // The run path whole, or left out where only a stub would fit, never `run runs/te`.
        #expect(grid.line(0).contains("run runs/test") || !grid.line(0).contains(" run "), "\(grid.line(0))")
        if size.0 >= 120 { #expect(grid.line(0).contains("run runs/test")) }
        #expect(grid.line(1).hasPrefix(" epoch 2/5  step 2/4 "))
        #expect(grid.line(1).contains(" 30% ETA 0:00"))
        #expect(grid.line(1).contains("1000 trees/s  lr 0.02"))
        let text = grid.text
        for title in [" loss ", " accuracy ", " tree ", " dev trees "] {
            #expect(text.contains(title), "missing \(title)")
        }
        #expect(grid.line(size.1 - 1).hasPrefix(" space pause"))
        // Accuracy table: the best epoch is starred.
        #expect(text.contains(" *   1    "))
        // Browser rows: mark, gold→predicted, loss, sentence.
        #expect(text.contains("✗ 1→3   6.25 It is dull ."))
        #expect(text.contains("✓ 3→3   1.50 The movie works ."))
    }

    /// The header names the dropout rate of a run that drops units (and only then: see above).
    /// At 80 columns the training keys fit whole, "q quit" included, paused or not.
    @Test func narrowStatusBarEndsWithQuit() throws {
        var s = try Fixture.state()
        for paused in [false, true] {
            s.trainer = paused ? .paused : .running
            let status = render(s, width: 80, height: 24).line(23)
            #expect(status.trimmingCharacters(in: .whitespaces).hasSuffix("? help q quit"), "\(status)")
        }
    }

    @Test func headerShowsANonZeroDropout() throws {
        var setup = try Fixture.setup()
        setup.config.dropout = 0.5
        var s = DashboardState(setup: setup)
        s.apply(.state(.running))
        #expect(
            render(s, width: 80, height: 24).line(0)
                .hasPrefix(" sentree   rnn d=30  adagrad  l2 0.001  dropout 0.5  batch 25  seed 1   RUNNING ")
        )
        setup.config.wordDropout = 1
        #expect(
            render(DashboardState(setup: setup), width: 120, height: 40).line(0)
                .contains("  l2 0.001  dropout 0.5  word dropout 1.0  batch 25  seed 1 "))
        setup.config.dropout = 0
        setup.config.wordDropout = 0
        #expect(!render(DashboardState(setup: setup), width: 120, height: 40).line(0).contains("dropout"))
    }

    /// The header names L2 strengths that differ from `l2`, AdaGrad's reset when there is one,
    /// and its ε when it is not the default.
    @Test func headerShowsSeparateL2AndTheAdagradResetAndEpsilon() throws {
        var setup = try Fixture.setup()
        setup.config.l2Classifier = 0.0001
        setup.config.l2Words = 0.0001
        setup.config.adagradReset = 1
        setup.config.adagradEpsilon = 0.001
        var s = DashboardState(setup: setup)
        s.apply(.state(.running))
        #expect(
            render(s, width: 130, height: 24).line(0).hasPrefix(
                " sentree   rnn d=30  adagrad  "
                    + "l2 0.001 (U 0.0001, words 0.0001)  reset every epoch  ε 0.001  batch 25  seed 1 "))
        setup.config.adagradReset = 0
        setup.config.adagradEpsilon = 1e-8
        let plain = render(DashboardState(setup: setup), width: 120, height: 40).line(0)
        #expect(!plain.contains("reset") && !plain.contains("ε"))
    }

    /// At 80 columns, settings that do not fit are left out from the last one on, so the
    /// state label always shows: the RNTN's defaults (dropout and an AdaGrad reset) used to
    /// push it past the edge, and a save banner too.
    @Test func narrowHeaderDropsTheLastSettingsNotTheState() throws {
        var setup = try Fixture.setup()
        setup.config.dropout = 0.5
        setup.config.adagradReset = 1
        var s = DashboardState(setup: setup)
        s.apply(.state(.running))
        let line = render(s, width: 80, height: 24).line(0)
        #expect(
            line.hasPrefix(" sentree   rnn d=30  adagrad  l2 0.001  dropout 0.5   RUNNING   run "), "\(line)")
        s.writeFailure = WriteFailure(
            path: "runs/test/last.safetensors", what: "last",
            error: "No space left on device", consecutive: 1)
        let failing = render(s, width: 80, height: 24).line(0)
        #expect(
            failing.hasPrefix(" sentree   rnn d=30  adagrad  l2 0.001  dropout 0.5   RUNNING   SAVE FAILED "),
            "\(failing)")
        // Wide enough, nothing is left out.
        #expect(
            render(s, width: 140, height: 40).line(0).contains(
                "reset every epoch  batch 25  seed 1   RUNNING"))
    }

    /// A failing disk stays in the header until a save succeeds, and the status bar says why.
    @Test func writeFailuresShowUntilASaveSucceeds() throws {
        var s = try Fixture.state()
        let failure = WriteFailure(
            path: "runs/test/last.safetensors", what: "last",
            error: "No space left on device", consecutive: 1)
        s.apply(.writeFailed(failure))
        var grid = render(s, width: 120, height: 40)
        #expect(grid.line(0).contains(" RUNNING   SAVE FAILED "), "\(grid.line(0))")
        #expect(grid.line(39).contains("could not write last (No space left on device)"), "\(grid.line(39))")
        var again = failure
        again.consecutive = 4
        s.apply(.writeFailed(again))
        grid = render(s, width: 80, height: 24)
        #expect(grid.line(0).contains("SAVE FAILING ×4"), "\(grid.line(0))")
        grid = render(s, width: 80, height: 24, options: RenderOptions(unicode: false))
        #expect(grid.line(0).contains("SAVE FAILING x4"), "\(grid.line(0))")
        s.apply(.saved(path: "runs/test/last.safetensors", reason: "last"))
        #expect(!render(s, width: 120, height: 40).line(0).contains("SAVE"))
        s.apply(.state(.failed))
        #expect(render(s, width: 120, height: 40).line(0).contains(" FAILED "))
        #expect(!s.isTraining)
    }

    @Test func treeViewIndentsByDepthAndShowsPredictions() throws {
        var s = try Fixture.state()
        s.selectedTree = 2
        let snapshot = Fixture.snapshot(s.setup)
        s.prediction = snapshot.predict(tree: 2, in: s.setup.dev, wordIDs: s.setup.devWordIDs)
        s.predictionStep = 4
        let text = render(s, width: 120, height: 40).text
        let root = try #require(s.prediction?.predicted.last)
        #expect(text.contains("3/4  gold 4 pred \(root) \(root == 4 ? "✓" : "✗")"))
        // Pre-order, two spaces per level, each line ending in its phrase.
        let treeLines = text.split(separator: "\n").compactMap { line -> Substring? in
            guard let bar = line.firstIndex(of: "│") else { return nil }
            return line[line.index(after: bar)...]
        }
        let expected = [
            ("A great film !", 0), ("A great film", 1), ("A", 2), ("great film", 2),
            ("great", 3), ("film", 3), ("!", 1),
        ]
        var next = 0
        for (phrase, depth) in expected {
            let match = treeLines[next...].firstIndex { line in
                let indent = line.prefix { $0 == " " }.count
                return indent == 2 * depth && line.dropFirst(indent).first?.isNumber == true
                    && line.hasSuffix(" " + phrase)
            }
            let found = try #require(match, "no line for '\(phrase)' at depth \(depth) after line \(next)")
            next = found + 1
        }
    }

    @Test func pausedStateAndStatusKeys() throws {
        var s = try Fixture.state()
        s.apply(.state(.paused))
        let grid = render(s, width: 80, height: 24)
        #expect(grid.line(0).contains(" PAUSED "))
        #expect(grid.line(23).hasPrefix(" space resume"))
    }

    @Test func asciiFallbackUsesNoUnicode() throws {
        var s = try Fixture.state()
        s.showHelp = false
        let grid = render(s, width: 100, height: 30, options: RenderOptions(unicode: false))
        let nonASCII = grid.text.unicodeScalars.filter { !$0.isASCII }
        // Sentences are the only text that may carry non-ASCII; this fixture has none.
        #expect(nonASCII.isEmpty, "non-ASCII: \(String(String.UnicodeScalarView(nonASCII)))")
        #expect(
            render(s, width: 100, height: 30).text.unicodeScalars.contains {
                (0x2800 ... 0x28FF).contains($0.value)
            },
            "braille expected in unicode mode")
    }

    @Test func helpOverlayListsEveryKey() throws {
        var s = try Fixture.state()
        s.showHelp = true
        let text = render(s, width: 120, height: 40).text
        for (key, _) in keyReference { #expect(text.contains(key), "help misses \(key)") }
    }

    @Test func lossChartStaysCheapWithManyPoints() throws {
        var s = try Fixture.state()
        for k in 0 ..< 200_000 { s.loss.append(Float(1 + sin(Double(k) / 1000))) }
        #expect(s.loss.lows.count <= LossHistory.maxBuckets && s.loss.count == 200_006)
        s.logScale = true
        let grid = render(s, width: 120, height: 40)
        #expect(grid.text.contains(" loss "))
        #expect(grid.text.contains("log"))
    }

    /// TensorBoard's debiased EMA, computed directly: the oracle for `LossHistory`.
    func debiasedEMA(_ values: [Float], weight: Double) -> [Double] {
        var ema = 0.0, correction = 1.0
        return values.map { v in
            ema = weight * ema + (1 - weight) * Double(v)
            correction *= weight
            return weight == 0 ? Double(v) : ema / (1 - correction)
        }
    }

    @Test func lossHistoryBucketsKeepExtremesAndTheSmoothedEnd() {
        var history = LossHistory(smoothing: 0.8)
        let values = (0 ..< 10_000).map { Float(($0 * 7919) % 1000) / 100 }
        for v in values { history.append(v) }
        #expect(history.lows.count <= LossHistory.maxBuckets)
        #expect(history.bucketSize == 8)
        let oracle = debiasedEMA(values, weight: 0.8)
        for b in [0, 17, history.lows.count - 1] {
            let range = (b * history.bucketSize) ..< min(values.count, (b + 1) * history.bucketSize)
            #expect(history.lows[b] == values[range].min()!)
            #expect(history.highs[b] == values[range].max()!)
            #expect(abs(Double(history.smoothed[b]) - oracle[range.upperBound - 1]) < 1e-4)
        }
        #expect(abs(Double(history.smoothed[0]) - Double(values[0])) < 1e-6 || history.bucketSize > 1)
        history.setSmoothing(0.5)
        #expect(abs(Double(history.smoothed.last!) - debiasedEMA(values, weight: 0.5).last!) < 1e-4)
        #expect(history.count == values.count)
    }
}
