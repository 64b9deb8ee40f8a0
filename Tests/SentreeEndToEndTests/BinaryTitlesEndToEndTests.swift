import Foundation
import Testing

/// What the real dashboard calls a binary-task run's figures (`--task binary`): its argmax is
/// over negative, neutral and positive, so the runs table and the sweep view name them 3-class,
/// never fine; and the treelstm recipe's settings that do not fit beside the state get a row
/// of their own at 120x40.
@Suite(.serialized) struct BinaryTitlesEndToEndTests {
    /// Trains a short binary-task run headless; returns its folder and the 3-class root of
    /// its best evaluation as the table shows it, from train's last line (`best dev binary
    /// root … (3-class all A, 3-class root B): …`).
    func trainedRun(_ name: String, data: String, seed: Int) throws -> (path: String, argmaxRoot: String) {
        let run = try temporaryDirectory("sentree-titles-runs") + "/" + name
        let result = try sentree([
            "train", "--headless", "--data", data, "--out", run, "--threads", "1", "--batch-size", "4",
            "--epochs", "2", "--dim", "6", "--task", "binary", "--seed", String(seed),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let last = try #require(result.stdout.split(separator: "\n").last { $0.hasPrefix("best dev") })
        let start = try #require(last.range(of: "3-class root "), "\(last)").upperBound
        return (run, String(last[start...].prefix { $0 != "%" }))
    }

    /// `sentree view` of binary runs (it views runs of one task together): their argmax
    /// figures under 3-class titles, with the values train reported, and no fine column.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func theRunsTableNamesTheThreeClassFigures(_ width: Int, _ height: Int) throws {
        let data = try ViewEndToEndTests().makeData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let runs = try [
            trainedRun("binary-one", data: data, seed: 1), trainedRun("binary-two", data: data, seed: 2),
        ]
        let tmux = TmuxSession()
        let exit = try startView(tmux, runs.map(\.path).joined(separator: " "), width: width, height: height)
        let screen = try tmux.waitFor(30, "both runs") {
            $0.contains("binary-one") && $0.contains("binary-two") && $0.contains(" b.root")
        }
        let lines = screen.split(separator: "\n").map(String.init)
        let at = try #require(
            lines.firstIndex { $0.contains(" best ") && $0.contains(" b.root") }, "\(screen)")
        let header = lines[at]
        #expect(header.contains(" 3c.root ") && !header.contains("f.root"), "\(header)")
        if width >= 120 { #expect(header.contains(" 3c.all 3c.root b.root b.all"), "\(header)") }
        // Values are right-aligned under their title.
        let end = header.distance(
            from: header.startIndex, to: try #require(header.range(of: " 3c.root")).upperBound)
        for (name, run) in zip(["binary-one", "binary-two"], runs) {
            // The table's row, not the view's header, which names the picked run too.
            let row = Array(try #require(lines[at...].first { $0.contains(name) }, "\(screen)"))
            var start = end
            while start > 0 && row[start - 1] != " " { start -= 1 }
            #expect(String(row[start ..< end]) == run.argmaxRoot, "\(name)\n\(screen)")
        }
        #expect(screen.contains("dev 3-class root %") && !screen.contains("fine"), "\(screen)")
        #expect(lines[0].contains("rnn d=6  task binary (SST-2)"), "\(screen)")
        try quitsCleanly(tmux, exitFile: exit)
    }

    /// The treelstm recipe on the binary task, training on neutral roots: at 120x40 the header's
    /// third row holds its dropout rates and training trees, which the first had no room for;
    /// at 80x24 the body keeps its rows.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func theHeaderGivesTheSettingsLeftOutARowAt120(_ width: Int, _ height: Int) throws {
        let tmux = TmuxSession()
        let run = try DashboardEndToEndTests().startTraining(
            tmux, width: width, height: height, environment: "",
            arguments: "--model treelstm --task binary --neutral-roots keep --patience 1")
        defer { try? FileManager.default.removeItem(atPath: run) }
        let screen = try tmux.waitFor(60, "the early stop") {
            $0.split(separator: "\n").first?.contains("DONE") == true && $0.contains("stopped early")
        }
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines[0].contains(" sentree   treelstm d=8 x=300  task binary (SST-2)  "), "\(screen)")
        #expect(lines[1].hasPrefix(" epoch "), "\(screen)")
        if width >= 120 {
            #expect(lines[0].contains("  dev every 0.25ep  patience 1  "), "\(screen)")
            #expect(
                lines[2].hasPrefix(
                    "           leaf dropout 0.25  state dropout 0.25  neutral roots in train  "),
                "\(screen)")
            #expect(lines[3].hasPrefix(" loss "), "\(screen)")
        } else {
            #expect(lines[2].hasPrefix(" loss "), "\(screen)")
            #expect(!screen.contains("neutral roots in train"), "\(screen)")
        }
        try tmux.keys("q")
        #expect(DashboardEndToEndTests().waitForExit(run)?.contains("EXIT=0") == true)
    }

    /// A sweep whose base sets `task: binary`: `sweep` prints each trial's binary root first,
    /// and the view ranks by it and calls the argmax figures 3-class; a sweep not yet run
    /// (`--slurm --dry-run`, every trial queued) is already named so at 80x24.
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil))
    func theSweepViewNamesTheMeasureItRanks() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let spec = try writeSpec(
            "base:\n  epochs: 2\n  task: binary\n\(smallBase)grid:\n  lr: [0.01, 0.05]\nseeds: [1, 2]\n",
            in: data)
        let sweep = data + "/sweep"
        let ran = try sentree(["sweep", spec, "--out", sweep, "--data", data, "--jobs", "2"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let done = ran.stdout.split(separator: "\n").filter { $0.hasPrefix("done ") }
        #expect(done.count == 4 && done.allSatisfy { $0.contains("  best binary root ") }, "\(ran.stdout)")
        #expect(!ran.stdout.contains("fine"), "\(ran.stdout)")

        let tmux = TmuxSession()
        var exit = try startView(tmux, sweep, width: 120, height: 40)
        var screen = try tmux.waitFor(30, "the sweep view") {
            $0.contains(" seed groups ") && $0.contains("4 done")
        }
        #expect(screen.contains("*bin rt  3-cl rt 3-cl all"), "\(screen)")
        #expect(screen.contains("*binary root") && screen.contains("dev binary root per epoch"), "\(screen)")
        #expect(!screen.contains("fine"), "\(screen)")
        try tmux.keys("s")
        screen = try tmux.waitFor(10, "sorted by the best binary root") {
            $0.contains("sorted by best binary root")
        }
        try tmux.keys("m")
        screen = try tmux.waitFor(10, "the 3-class root") { $0.contains("sorted by best 3-class root") }
        #expect(screen.contains("m metric (3-class root)"), "\(screen)")
        try quitsCleanly(tmux, exitFile: exit)
        _ = try? tmux.run(["kill-server"])

        let queued = data + "/queued"
        let planned = try sentree(["sweep", spec, "--out", queued, "--data", data, "--slurm", "--dry-run"])
        #expect(planned.status == 0, "\(planned.stderr)")
        let small = TmuxSession()
        exit = try startView(small, queued, width: 80, height: 24)
        screen = try small.waitFor(30, "the queued sweep") {
            $0.contains("4 queued") && $0.contains(" trials ")
        }
        #expect(screen.contains("*bin rt  3-cl rt 3-cl all"), "\(screen)")
        #expect(screen.contains("m metric (binary root)"), "\(screen)")
        try quitsCleanly(small, exitFile: exit)
    }
}
