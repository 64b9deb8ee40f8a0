import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// `sentree view` of several runs: the runs' checkpoints as one seed ensemble, in a last row.
@Suite struct EnsembleRowTests {
    /// Node distributions for the fixture's dev set (4 trees) that make run `k` sure of class
    /// `(node + k) % 5` at every node, with `sure` of the mass there.
    static func probabilities(_ dev: Treebank, run k: Int, sure: Float) -> [Float] {
        var p = [Float](repeating: (1 - sure) / 4, count: dev.nodeCount * 5)
        for i in 0 ..< dev.nodeCount { p[i * 5 + (i + k) % 5] = sure }
        return p
    }

    @Test func theEnsembleAveragesTheRunsThatScoreTheSameNodes() throws {
        let dev = try Fixture.setup().dev
        var runs = (0 ..< 3).map { Fixture.comparedRun($0, epochs: 3) }
        #expect(EnsembleSummary.of(runs, dev: dev) == nil)
        runs[0].probabilities = Self.probabilities(dev, run: 0, sure: 0.6)
        #expect(EnsembleSummary.of(runs, dev: dev) == nil, "one run is no ensemble")
        runs[1].probabilities = Self.probabilities(dev, run: 0, sure: 0.9)
        runs[2].probabilities = Self.probabilities(dev, run: 1, sure: 0.7)
        let all = try #require(EnsembleSummary.of(runs, dev: dev))
        #expect(all.members == [0, 1, 2])
        let average = Ensemble.average(runs.map(\.probabilities))
        let expected = Ensemble.metrics(of: average, classes: 5, treebank: dev)
        #expect(all.metrics.fineRoot == expected.fineRoot && all.metrics.fineAll == expected.fineAll)
        #expect(all.metrics.binaryRoot == expected.binaryRoot)
        // Runs 0 and 1 agree on (node % 5), run 2 disagrees: the mean follows the majority.
        let majority = Ensemble.metrics(
            of: Ensemble.average([runs[0].probabilities]), classes: 5, treebank: dev)
        #expect(all.metrics.fineAll == majority.fineAll)
        // A run scored on other nodes (another dev set) stays out.
        runs[2].probabilities = Array(runs[2].probabilities.dropLast(5))
        #expect(EnsembleSummary.of(runs, dev: dev)?.members == [0, 1])
    }

    static func stateWithEnsemble(runs: Int) throws -> DashboardState {
        var s = try Fixture.viewState(runs: runs)
        let dev = s.setup.dev
        for k in 0 ..< runs {
            s.compare!.runs[k].probabilities = Self.probabilities(dev, run: k % 2, sure: 0.8)
        }
        s.compare!.ensemble = EnsembleSummary.of(s.compare!.runs, dev: dev)
        return s
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func theRowSitsBelowTheRunsWithItsScores(size: (width: Int, height: Int)) throws {
        let s = try Self.stateWithEnsemble(runs: 3)
        let e = try #require(s.compare?.ensemble)
        let lines = render(s, width: size.width, height: size.height).text.split(separator: "\n")
        let row = try #require(lines.firstIndex { $0.hasPrefix(" Σ   ensemble") }, "\(lines)")
        // The checkpoint is named where the name column has room for it.
        if size.width >= 120 { #expect(lines[row].hasPrefix(" Σ   ensemble (best)"), "\(lines[row])") }
        #expect(lines[row - 1].contains("rntn-tensor"), "the row follows the last run")
        let cells = lines[row].split(separator: " ")
        #expect(cells.contains { $0 == String(format: "%.2f", 100 * e.metrics.fineRoot) }, "\(lines[row])")
        #expect(cells.contains { $0 == String(format: "%.2f", 100 * e.metrics.binaryRoot) })
        #expect(lines[row].contains("avg ABC"))
        // The panel grew by the row: the loss chart's title is right below it.
        #expect(lines[row + 1].hasPrefix(" loss"), "\(lines[row + 1])")
    }

    @Test func theRowStaysInSightWithMoreRunsThanRows() throws {
        // 7 runs in a table of 5 rows at 24 lines.
        var s = try Self.stateWithEnsemble(runs: 7)
        s.compare!.cursor = 6
        let lines = render(s, width: 120, height: 24).text.split(separator: "\n")
        let row = try #require(lines.firstIndex { $0.hasPrefix(" Σ   ensemble (best)") }, "\(lines)")
        #expect(lines[row - 1].hasPrefix("▶"), "the picked last run is right above:\n\(lines[row - 1])")
        #expect(lines[row + 1].hasPrefix(" loss"))
    }

    @Test func withoutAnEnsembleTheTableIsAsBefore() throws {
        let s = try Fixture.viewState(runs: 3)
        #expect(!render(s, width: 120, height: 40).text.contains("ensemble"))
    }
}
