import ArgumentParser
import Foundation
import SentreeCore

/// `sentree sweep plan SPEC`: the trials a sweep would run, without running anything.
struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the trials SPEC would run: index, the settings that vary, seed and run name.")

    @Argument(help: "The sweep spec (YAML).") var spec: String
    @Option(help: "Data directory for every trial, as for `sentree sweep`.") var data: String?

    func run() throws {
        try reportingErrors {
            let parsed = try SweepSpec.load(path: spec)
            let plan = parsed.plan(data: data.map(absolutePath))
            for line in Self.render(parsed, plan).split(separator: "\n") {
                print(TerminalText.sanitized(String(line)))
            }
        }
    }

    static func render(_ spec: SweepSpec, _ plan: SweepPlan) -> String {
        let settings = plan.trials.count / max(spec.seeds.count, 1)
        func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var text =
            "\(counted(plan.trials.count, "trial")): "
            + "\(counted(settings, "setting")) × \(counted(spec.seeds.count, "seed"))\n"
        let fixed = spec.base.map { "\($0.flag.name) \($0.value)" }
        text += "base: " + (fixed.isEmpty ? "train's defaults" : fixed.joined(separator: ", ")) + "\n"
        let header = ["trial"] + plan.varies + ["seed", "run"]
        let rows = plan.trials.map { t in
            [String(t.index)] + plan.varies.map { t.settings[$0] ?? "-" } + [String(t.seed), t.name]
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.indices.map { c in
                // Numbers right-aligned, the run name left-aligned (it is last).
                c == row.count - 1 ? row[c] : String(repeating: " ", count: widths[c] - row[c].count) + row[c]
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        return text
    }
}
