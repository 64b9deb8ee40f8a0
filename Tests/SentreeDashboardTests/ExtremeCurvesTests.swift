import Foundation
import SentreeCore
import Testing
@testable import SentreeDashboard

/// Curves whose values are huge, infinite or not numbers are drawn without trapping (issue
/// #18, item 4: `view` of a log with epoch 2⁶², seconds 1e308 or a loss of ±1e308 crashed,
/// leaving the terminal raw). The metrics reader refuses such lines; the charts must not
/// depend on it.
@Suite struct ExtremeCurvesTests {
    static let extremes: [(String, @Sendable (inout EpochRecord) -> Void)] = [
        ("epoch 2^62", { $0.epoch = 1 << 62 }),
        ("epoch Int.max", { $0.epoch = Int.max }),
        ("seconds 1e308", { $0.seconds = 1e308 }),
        ("seconds inf", { $0.seconds = .infinity }),
        ("loss 1e308", { $0.trainLoss = 1e308 }),
        ("loss -1e308", { $0.trainLoss = -1e308 }),
        ("loss nan", { $0.trainLoss = .nan }),
        ("fine root -inf", { $0.fineRoot = -.infinity }),
        ("fine root 1e308", { $0.fineRoot = 1e308 }),
    ]

    @Test(arguments: 0 ..< extremes.count)
    func viewDrawsAnExtremeEpochInEveryMode(_ k: Int) throws {
        for byTime in [false, true] {
            for log in [false, true] {
                var s = try Fixture.viewState(runs: 2)
                var run = Fixture.comparedRun(0, epochs: 3)
                var last = run.epochs[2]
                Self.extremes[k].1(&last)
                run.epochs[2] = last
                // A second extreme run at the other end of the scale.
                var other = Fixture.comparedRun(1, epochs: 2)
                other.epochs[1].trainLoss = 1e308
                other.epochs[1].seconds = 1e300
                s.compare?.runs = [run, other]
                s.compare?.alignByTime = byTime
                s.logScale = log
                for (w, h) in [(80, 24), (120, 40)] {
                    let grid = render(s, width: w, height: h)
                    #expect(grid.text.contains("loss"), "\(Self.extremes[k].0)")
                }
            }
        }
    }

    @Test func fractionNeverOverflowsAndClamps() {
        let big = Double.greatestFiniteMagnitude
        #expect(fraction(0, low: -big, high: big) == 0.5)
        #expect(fraction(big, low: -big, high: big) == 1)
        #expect(fraction(-big, low: -big, high: big) == 0)
        #expect(fraction(.nan, low: 0, high: 1) == nil)
        #expect(fraction(2, low: 0, high: 1) == 1)
        #expect(fraction(1, low: 1, high: 1) == nil)
        #expect(dotRow(.infinity, low: 0, high: 1, height: 9) == 4)
        #expect(dotRow(0.25, low: 0, high: 1, height: 9) == 6)
        #expect(duration(1e308) == duration(1e12))
        #expect(duration(.nan) == "0:00")
    }
}
