import Foundation
import Testing
import SentreeCore

// `sentree view SWEEP` in a real terminal (tmux): a finished sweep at 120x40 and a sweep
// still running at 80x24, which the view follows until every trial is done.

@Suite(.serialized) struct SweepViewEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func aFinishedSweepShowsTrialsGroupsAndBandedCurves() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let spec = try writeSpec(
            "base:\n  epochs: 5\n\(smallBase)grid:\n  lr: [0.01, 0.05]\nseeds: [1, 2, 3]\n", in: data)
        let sweep = data + "/sweep"
        let ran = try sentree(["sweep", spec, "--out", sweep, "--data", data, "--jobs", "2"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let summary = data + "/summary.csv"
        #expect(try sentree(["export", sweep, "--summary", "--csv", summary]).status == 0)

        let tmux = TmuxSession()
        let exit = try startView(tmux, sweep, width: 120, height: 40)
        let screen = try tmux.waitFor(30, "the sweep view") {
            $0.contains(" seed groups ") && $0.contains("●A")
        }
        #expect(screen.contains("6 trials: 0 running  0 stopped  0 failed  6 done  0 queued"), "\(screen)")
        let lines = screen.split(separator: "\n").map(String.init)
        // Each trial's row: its group key, settings, seed, status and epochs.
        for (lr, key) in [("0.01", "●A"), ("0.05", "■B")] {
            for seed in 1 ... 3 {
                #expect(
                    lines.contains {
                        $0.hasPrefix("\(key)  lr \(lr)     \(seed)  done        5/5")
                    },
                    "lr \(lr) seed \(seed)\n\(screen)")
            }
        }
        // The groups' mean ± sd are those of export --summary.
        let groupRows = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("group,") }
        #expect(groupRows.count == 2)
        let header = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n")[0]
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (k, row) in groupRows.enumerated() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let mean = Double(cells[header.firstIndex(of: "fine_root")!])!
            let sd = Double(cells[header.firstIndex(of: "fine_root_sd")!])!
            let shown = String(format: "%.2f ± %.2f", 100 * mean, 100 * sd)
            #expect(
                lines.contains { $0.hasPrefix(k == 0 ? "●A lr 0.01" : "■B lr 0.05") && $0.contains(shown) },
                "\(shown)\n\(screen)")
        }
        #expect(screen.contains("leader "), "\(screen)")
        // The curves: bands and the legend with each group's seeds.
        #expect(screen.contains("░") && screen.contains("●A lr 0.01 (3 seeds)  ■B lr 0.05 (3 seeds)"))

        try tmux.keys("s")
        _ = try tmux.waitFor(10, "sorted by the best fine root") { $0.contains("sorted by best fine root") }
        try quitsCleanly(tmux, exitFile: exit)
    }

    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func followsASweepThatIsStillRunning() throws {
        let data = try makeLargerDataDirectory("sentree-sweepview-live", seed: 11)
        defer { try? FileManager.default.removeItem(atPath: data) }
        // Saving after every minibatch makes each trial take seconds.
        let spec = try writeSpec(
            "base:\n  epochs: 30\n\(smallBase)  save-interval: 0.000001\ngrid:\n  lr: [0.01, 0.02]\n"
                + "seeds: [1, 2]\n", in: data)
        let sweep = data + "/sweep"
        let running = try Background(["sweep", spec, "--out", sweep, "--data", data, "--jobs", "2"])
        #expect(waitFor(60) { SweepFiles.isSweep(sweep) })

        let tmux = TmuxSession()
        let exit = try startView(tmux, sweep, width: 80, height: 24)
        let early = try tmux.waitFor(60, "a running trial") { $0.contains("2 running") }
        #expect(early.contains(" trials ") && early.contains(" curves "), "\(early)")
        let late = try tmux.waitFor(180, "every trial done") { $0.contains("4 done") }
        #expect(late.contains("30/30") && late.contains("0 running"), "\(late)")
        #expect(try running.finish().status == 0)
        try quitsCleanly(tmux, exitFile: exit)
    }
}
