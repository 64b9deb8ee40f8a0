import Foundation
import Testing
@testable import SentreeCore

/// Writes `text` as a spec file in a fresh folder and loads it.
private func load(_ text: String, name: String = "spec.yaml") throws -> SweepSpec {
    let dir = NSTemporaryDirectory() + "/sentree-spec-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try SweepSpec.load(path: path)
}

/// A spec mistake: where it must be reported (line, column, key) and what it must say.
struct SpecMistake: Sendable, CustomTestStringConvertible {
    let name: String
    let yaml: String
    let line: Int
    let column: Int
    let key: String
    let message: String
    var testDescription: String { name }
}

let specMistakes: [SpecMistake] = [
    SpecMistake(
        name: "typo in a flag", yaml: "base:\n  model: rnn\ngrid:\n  lrr: [0.01, 0.02]\n",
        line: 4, column: 3, key: "grid.lrr", message: "unknown flag (did you mean 'lr'?)"),
    SpecMistake(
        name: "unknown top-level key", yaml: "base:\n  model: rnn\nseed: [1, 2]\n",
        line: 3, column: 1, key: "seed", message: "unknown key (did you mean 'seeds'?)"),
    SpecMistake(
        name: "invalid base value", yaml: "base:\n  model: rnn\n  lr: -1\n",
        line: 3, column: 7, key: "base.lr", message: "must be a positive number (got -1.0)"),
    SpecMistake(
        name: "invalid grid value", yaml: "grid:\n  dropout: [0.1, 1.0]\n",
        line: 2, column: 18, key: "grid.dropout", message: "must be at least 0 and below 1"),
    SpecMistake(
        name: "unknown model", yaml: "base:\n  model: lstm\n",
        line: 2, column: 10, key: "base.model", message: "must be one of rnn"),
    SpecMistake(
        name: "fractional width", yaml: "base:\n  dim: 2.5\n",
        line: 2, column: 8, key: "base.dim", message: "must be a whole number (got '2.5')"),
    SpecMistake(
        name: "the seed as a flag", yaml: "base:\n  seed: 3\n",
        line: 2, column: 3, key: "base.seed",
        message: "seeds are listed in the spec's top-level `seeds`"),
    SpecMistake(
        name: "threads", yaml: "grid:\n  threads: [1, 2]\n",
        line: 2, column: 3, key: "grid.threads", message: "every trial trains with --threads 1"),
    SpecMistake(
        name: "a key given twice", yaml: "base:\n  lr: 0.1\n  lr: 0.2\n",
        line: 3, column: 3, key: "base.lr", message: "set twice (first on line 2)"),
    SpecMistake(
        name: "a flag in base and grid", yaml: "base:\n  lr: 0.1\ngrid:\n  lr: [0.2, 0.3]\n",
        line: 4, column: 3, key: "grid.lr", message: "is already set in base"),
    SpecMistake(
        name: "a grid value that is no list", yaml: "grid:\n  lr: 0.1\n",
        line: 2, column: 7, key: "grid.lr", message: "must be a non-empty list"),
    SpecMistake(
        name: "a task that is none", yaml: "base:\n  task: sst2\n",
        line: 2, column: 9, key: "base.task", message: "must be one of fine, binary (got 'sst2')"),
    SpecMistake(
        name: "tasks varied", yaml: "grid:\n  task: [fine, binary]\n",
        line: 2, column: 3, key: "grid.task", message: "is set in base only"),
    SpecMistake(
        name: "neutral roots of the fine task", yaml: "grid:\n  neutral-roots: [keep, drop]\n",
        line: 1, column: 1, key: "grid.neutral-roots", message: "needs `task: binary` in base"),
    SpecMistake(
        name: "a repeated seed", yaml: "seeds: [1, 2, 1]\n",
        line: 1, column: 8, key: "seeds", message: "lists seed 1 twice"),
    SpecMistake(
        name: "a reversed seed range", yaml: "seeds: {from: 5, to: 2}\n",
        line: 1, column: 22, key: "seeds.to", message: "is below from (5)"),
    SpecMistake(
        name: "random draws without a count", yaml: "random:\n  lr: {uniform: [0.01, 0.1]}\n",
        line: 2, column: 3, key: "random.count", message: "missing"),
    SpecMistake(
        name: "a log-uniform range from 0",
        yaml: "random:\n  count: 2\n  l2: {log-uniform: [0, 0.1]}\n",
        line: 3, column: 22, key: "random.l2.log-uniform", message: "must start above 0"),
    SpecMistake(
        name: "an unknown distribution", yaml: "random:\n  count: 2\n  lr: {normal: [0.01, 0.1]}\n",
        line: 3, column: 8, key: "random.lr.normal", message: "unknown key"),
    SpecMistake(
        name: "a range for a model", yaml: "random:\n  count: 2\n  model: {uniform: [1, 2]}\n",
        line: 3, column: 11, key: "random.model.uniform", message: "takes no range"),
    // Found by the sweepspec fuzz target: Int.max became 2^63 as a Double, and trapped when
    // the message turned it back into an Int.
    SpecMistake(
        name: "an integer at Int.max", yaml: "base:\n  epochs: 9223372036854775807\n",
        line: 2, column: 11, key: "base.epochs",
        message: "must be from 1 to 1000000 (got 9223372036854775807)"),
    SpecMistake(
        name: "a range up to Int.max",
        yaml: "random:\n  count: 2\n  epochs: {uniform: [1, 9223372036854775807]}\n",
        line: 3, column: 25, key: "random.epochs.uniform",
        message: "must be from 1 to 1000000 (got 9223372036854775807)"),
    SpecMistake(
        name: "broken YAML", yaml: "base:\n  lr: [0.1\n  dim: 3\n",
        line: 3, column: 6, key: "", message: "not valid YAML"),
]

@Suite struct SweepSpecTests {
    @Test(arguments: specMistakes)
    func mistakesNameTheFileLineColumnAndKey(_ mistake: SpecMistake) throws {
        do {
            _ = try load(mistake.yaml, name: "my-sweep.yaml")
            Issue.record("accepted: \(mistake.yaml)")
        } catch let error as SweepSpecError {
            #expect(error.file.hasSuffix("/my-sweep.yaml"))
            #expect(error.line == mistake.line && error.column == mistake.column, "\(error)")
            #expect(error.key == mistake.key, "\(error)")
            #expect(error.message.contains(mistake.message), "\(error)")
            let place = "my-sweep.yaml:\(mistake.line):\(mistake.column): "
            #expect("\(error)".contains(place + (mistake.key.isEmpty ? "" : mistake.key + ": ")), "\(error)")
        }
    }

    @Test func aGridTimesSeedsPlansEveryCombinationSeedFastest() throws {
        let spec = try load(
            """
            base:
              model: rnn
              epochs: 5
              keep-case: true
            grid:
              lr: [0.01, 2e-2]
              dim: [20, 30]
            seeds: {from: 1, to: 3}
            """)
        let plan = spec.plan()
        #expect(plan.varies == ["lr", "dim"])
        #expect(plan.trials.count == 12)
        #expect(plan.trials.map(\.index) == Array(0 ..< 12))
        #expect(plan.trials.map(\.seed) == [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3])
        let lrs = plan.trials.map { $0.settings["lr"]! }
        #expect(lrs == Array(repeating: "0.01", count: 6) + Array(repeating: "0.02", count: 6))
        #expect(plan.trials[4].name == "0004-lr0.01-dim30-seed2")
        #expect(
            plan.trials[4].arguments == [
                "--model", "rnn", "--dim", "30", "--epochs", "5", "--lr", "0.01",
                "--keep-case", "--seed", "2",
            ])
        // Trials of one setting share their settings: the seed is kept apart.
        #expect(Set(plan.trials[3 ..< 6].map(\.settings)).count == 1)
        #expect(Set(plan.trials.map(\.name)).count == 12)
    }

    /// The dev schedule's flags (#20): `dev-every` in its canonical spelling, its range checked.
    @Test func aSpecSetsTheDevScheduleAndTheWordOptimizer() throws {
        let spec = try load(
            """
            base:
              model: treelstm
              word-optimizer: sgd
              word-lr: 0.1
              patience: 8
            grid:
              dev-every: [0.250ep, 200]
              lr-plateau: [2]
              lr-plateau-factor: [0.5]
            """)
        let plan = spec.plan()
        #expect(plan.trials.map { $0.settings["dev-every"] } == ["0.25ep", "200"])
        #expect(
            plan.trials[0].arguments == [
                "--model", "treelstm", "--dev-every", "0.25ep", "--lr-plateau", "2",
                "--lr-plateau-factor", "0.5", "--patience", "8", "--word-optimizer", "sgd", "--word-lr",
                "0.1",
                "--seed", "1",
            ])
        #expect(throws: (any Error).self) { try load("grid:\n  dev-every: [2ep]\n") }
        #expect(throws: (any Error).self) { try load("grid:\n  dev-every: [soon]\n") }
    }

    /// The recipe's dropout and classifier flags (#20), their ranges checked as `train`'s.
    @Test func aSpecSetsLeafAndStateDropoutAndTheClassifierLayer() throws {
        let spec = try load(
            """
            base:
              classifier-hidden: 150
            grid:
              leaf-dropout: [0, 0.25]
              state-dropout: [0.5]
            """)
        let plan = spec.plan()
        #expect(plan.trials.map { $0.settings["leaf-dropout"] } == ["0.0", "0.25"])
        #expect(
            plan.trials[1].arguments == [
                "--leaf-dropout", "0.25", "--state-dropout", "0.5", "--classifier-hidden", "150", "--seed",
                "1",
            ])
        #expect(throws: (any Error).self) { try load("grid:\n  leaf-dropout: [1.5]\n") }
        #expect(throws: (any Error).self) { try load("grid:\n  classifier-hidden: [0.5]\n") }
    }

    @Test func aSpecSetsTheBinaryTaskAndItsTrainingTrees() throws {
        let spec = try load("base:\n  task: binary\ngrid:\n  neutral-roots: [keep, drop]\n")
        let plan = spec.plan()
        #expect(plan.trials.map { $0.settings["neutral-roots"] } == ["keep", "drop"])
        #expect(plan.trials[1].arguments == ["--task", "binary", "--neutral-roots", "drop", "--seed", "1"])
    }

    @Test func noSeedsMeansSeedOneAndDataOverridesEveryTrial() throws {
        let spec = try load("base:\n  data: sst\ngrid:\n  lr: [0.01, 0.02]\n")
        #expect(spec.seeds == [1])
        #expect(spec.setsData)
        // A relative path is the spec's folder's, fixed when the spec is read.
        #expect(spec.base[0].value.hasPrefix("/") && spec.base[0].value.hasSuffix("/sst"))
        let plan = spec.plan(data: "/elsewhere/sst")
        #expect(
            plan.trials.allSatisfy {
                $0.settings["data"] == "/elsewhere/sst" && $0.arguments.contains("/elsewhere/sst")
            })
    }

    @Test func randomDrawsAreReproducibleAndStayInTheirRanges() throws {
        let yaml = """
            random:
              count: 40
              draw-seed: 9
              lr: {log-uniform: [0.001, 0.1]}
              dim: {uniform: [10, 12]}
              optimizer: {choice: [adagrad, sgd]}
            seeds: [1, 2]
            """
        let a = try load(yaml).plan(), b = try load(yaml).plan()
        #expect(a == b)
        #expect(a.trials.count == 80)
        let lrs = a.trials.map { Double($0.settings["lr"]!)! }
        #expect(lrs.allSatisfy { $0 >= 0.001 && $0 <= 0.1 })
        #expect(lrs.contains { $0 < 0.01 } && lrs.contains { $0 > 0.01 }, "log-uniform covers both decades")
        #expect(Set(a.trials.map { $0.settings["dim"]! }) == ["10", "11", "12"])
        #expect(Set(a.trials.map { $0.settings["optimizer"]! }) == ["adagrad", "sgd"])
        let other = try load(yaml.replacingOccurrences(of: "draw-seed: 9", with: "draw-seed: 10")).plan()
        #expect(other.trials.map(\.settings) != a.trials.map(\.settings))
    }
}
