import Foundation
import Testing

/// Two small runs of different kinds and widths on one data directory, trained once.
let ensembleRuns: Result<(data: String, runs: [String], failure: String?), any Error> = Result {
    let data = try makeDataDirectory()
    var runs: [String] = []
    let flags = [
        ["--model", "rnn", "--dim", "8", "--seed", "7"],
        ["--model", "treelstm", "--dim", "6", "--seed", "8"],
    ]
    for (k, extra) in flags.enumerated() {
        let run = data + "/run\(k + 1)"
        let r = try sentree(
            [
                "train", "--data", data, "--out", run, "--epochs", "3", "--headless", "--batch-size", "8",
                "--threads", "1",
            ]
                + extra)
        guard r.status == 0 else { return (data, runs, r.stderr) }
        runs.append(run)
    }
    return (data, runs, nil)
}

/// `eval` and `predict` with several checkpoints: node distributions averaged, members shown.
@Suite struct EnsembleCLITests {
    func runs() throws -> (data: String, runs: [String]) {
        let shared = try ensembleRuns.get()
        try #require(shared.failure == nil, "training failed: \(shared.failure ?? "")")
        return (shared.data, shared.runs)
    }

    /// Each member's metrics in the ensemble are its own `eval`'s, and the ensemble's are
    /// those of `predict`'s averaged distributions, node by node, over the same trees.
    @Test func evalReportsMembersAndTheEnsembleOfTheAveragedDistributions() throws {
        let (data, runs) = try runs()
        let dev = data + "/dev.txt"
        let singles = try runs.map {
            try EvalCLITests.json(try sentree(["eval", "--checkpoint", $0, "--json"]))
        }
        let both = try EvalCLITests.json(
            try sentree(["eval", "--checkpoint", runs[0], "--checkpoint", runs[1], "--json", "--data", dev]))
        #expect(both["ensemble"] as? Int == 2)
        #expect(both["checkpoints"] as? [String] == runs.map { $0 + "/best.safetensors" })
        let members = try #require(both["members"] as? [[String: Any]])
        try #require(members.count == 2)
        let keys = ["fine_all", "fine_root", "binary_root", "binary_all"]
        for (member, single) in zip(members, singles) {
            for key in keys { #expect(member[key] as? Double == single[key] as? Double, "\(key)") }
            #expect(member["checkpoint"] as? String == single["checkpoint"] as? String)
        }
        #expect(members.map { $0["model"] as? String } == ["rnn", "treelstm"])
        #expect(
            (both["seconds"] as? Double ?? -1) >= 0 && both["nodes"] as? Int == singles[0]["nodes"] as? Int)

        // The same average computed tree by tree by `predict`.
        let predicted = try sentree(
            [
                "predict", "--checkpoint", runs[0], "--checkpoint", runs[1], "--trees", "--json", "--input",
                dev,
            ])
        try #require(predicted.status == 0, "\(predicted.stderr)")
        var nodes = 0, nodesRight = 0, roots = 0, rootsRight = 0
        for line in predicted.outputLines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["ensemble"] as? Int == 2)
            for phrase in try #require(object["phrases"] as? [[String: Any]]) {
                nodes += 1
                if phrase["class"] as? Int == phrase["gold"] as? Int { nodesRight += 1 }
            }
            let root = try #require(object["root"] as? [String: Any])
            roots += 1
            if root["class"] as? Int == root["gold"] as? Int { rootsRight += 1 }
        }
        // Counts, not ratios: JSONSerialization on Linux may read a double 1 ulp off.
        #expect(both["nodes"] as? Int == nodes && both["trees"] as? Int == roots)
        #expect(((both["fine_all"] as? Double ?? -1) * Double(nodes)).rounded() == Double(nodesRight))
        #expect(((both["fine_root"] as? Double ?? -1) * Double(roots)).rounded() == Double(rootsRight))
        // And the mean recomputed here from each member's own `predict` (probabilities rounded to
        // 1e-6 there, so a near tie may flip: at most one node).
        let alone = try runs.map { run in
            let r = try sentree(["predict", "--checkpoint", run, "--trees", "--json", "--input", dev])
            try #require(r.status == 0, "\(r.stderr)")
            return try r.outputLines.map { line in
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return try #require(object["phrases"] as? [[String: Any]])
            }
        }
        var recomputedRight = 0
        for (a, b) in zip(alone[0], alone[1]) {
            for (x, y) in zip(a, b) {
                let p = zip(x["probabilities"] as? [Double] ?? [], y["probabilities"] as? [Double] ?? []).map
                { $0 + $1 }
                if p.indices.max(by: { p[$0] < p[$1] }) == x["gold"] as? Int { recomputedRight += 1 }
            }
        }
        #expect(
            abs(recomputedRight - nodesRight) <= 1, "\(recomputedRight) against \(nodesRight) of \(nodes)")

        let text = try sentree(["eval", "--checkpoint", runs[0], "--checkpoint", runs[1]])
        #expect(text.status == 0, "\(text.stderr)")
        for said in ["ensemble   2 checkpoints", "member 1   " + runs[0], "member 2   " + runs[1], "seconds"]
        {
            #expect(text.stdout.contains(said), "\(said) in \(text.stdout)")
        }
        let parse = try sentree([
            "eval", "--checkpoint", runs[0], "--checkpoint", runs[1], "--right-branching",
        ])
        #expect(parse.status == 1 && parse.stderr.contains("give a single --checkpoint"), "\(parse.stderr)")
    }

    /// `predict`'s ensemble distribution is the mean of the members' own, and it says so.
    @Test func predictAveragesTheMembersDistributions() throws {
        let (_, runs) = try runs()
        let tree = "(3 (2 not) (1 (1 bad) (2 film)))"
        func root(_ checkpoints: [String]) throws -> [String: Any] {
            let r = try sentree(["predict", "--json", tree] + checkpoints.flatMap { ["--checkpoint", $0] })
            try #require(r.status == 0, "\(r.stderr)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect(object["ensemble"] as? Int == (checkpoints.count > 1 ? 2 : nil))
            return try #require(object["root"] as? [String: Any])
        }
        let singles = try runs.map { try #require(try root([$0])["probabilities"] as? [Double]) }
        let ensemble = try root(runs)
        let p = try #require(ensemble["probabilities"] as? [Double])
        try #require(p.count == 5)
        for c in 0 ..< 5 { #expect(abs(p[c] - (singles[0][c] + singles[1][c]) / 2) < 2e-6, "class \(c)") }
        #expect(ensemble["class"] as? Int == p.indices.max { p[$0] < p[$1] })
        let text = try sentree(["predict", tree] + runs.flatMap { ["--checkpoint", $0] })
        #expect(text.stdout.hasPrefix("(ensemble of 2 checkpoints"), "\(text.stdout)")
        let single = try sentree(["predict", tree, "--checkpoint", runs[0]])
        #expect(!single.stdout.contains("ensemble"), "\(single.stdout)")
    }
}
