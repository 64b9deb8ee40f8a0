// Sweep spec parser: `SweepSpec.load` on a YAML spec (the input), then `plan()`, as
// `sentree sweep` and `sentree sweep plan` run them.
//
// Invariants beyond "does not crash":
// - a rejection is a `SweepSpecError` naming the file, with a line inside it (or 0 for
//   the whole file);
// - an accepted spec makes between 1 and `maxTrials` trials, exactly the grid's points
//   times the random draws times the seeds; the trials' names are distinct, every trial
//   ends with its seed, and the plan encodes.

import Foundation
import SentreeCore

private let path = scratchPath("sweepspec", "spec.yaml")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSweepSpec(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzData(bytes, count)
    guard (try? data.write(to: URL(fileURLWithPath: path))) != nil else { fatalError("cannot write \(path)") }
    let spec: SweepSpec
    do {
        spec = try SweepSpec.load(path: path)
    } catch let error as SweepSpecError {
        // YAML breaks lines at CR as well as LF (and libyaml at NEL, LS and PS): a spec of
        // lone CRs has its errors on lines an LF count misses (found by this target).
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.unicodeScalars.count { "\n\r\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) } + 1
        invariant(
            error.file == path && error.line >= 0 && error.line <= lines + 1 && error.column >= 0
                && !error.message.isEmpty,
            "bad error \(error) for a file of \(lines) lines")
        return 0
    } catch {
        fatalError("SweepSpec.load threw \(type(of: error)), not a SweepSpecError: \(error)")
    }
    let points = spec.grid.reduce(1) { $0 * $1.values.count } * (spec.random?.count ?? 1)
    let expected = points * spec.seeds.count
    invariant(expected >= 1 && expected <= 100_000, "an accepted spec makes \(expected) trials")
    // Planning 100,000 trials is slow; the arithmetic above covers the large ones.
    guard expected <= 2_000 else { return 0 }
    let plan = spec.plan()
    invariant(plan.trials.count == expected, "\(plan.trials.count) trials, expected \(expected)")
    invariant(Set(plan.trials.map(\.name)).count == plan.trials.count, "two trials share a name")
    for trial in plan.trials {
        invariant(
            trial.arguments.suffix(2) == ["--seed", String(trial.seed)],
            "trial \(trial.name) does not end with its seed: \(trial.arguments)")
    }
    invariant((try? plan.encoded()) != nil, "the plan does not encode")
    return 0
}
