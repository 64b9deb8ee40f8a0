import Foundation
import Testing
@testable import SentreeCore

/// The dev schedule of #20: evaluations inside epochs (`devEvery`), the plateau's cut of the
/// learning rate, the early stop (`patience`), and the word vectors' own optimizer. The small
/// run has 60 trees in batches of 5: 12 steps per epoch.
@Suite struct RecipeScheduleTests {
    let small: SmallRun

    init() throws { small = try SmallRun() }

    /// Trains `c` in a fresh directory, collecting the events; returns the directory.
    func train(
        _ c: TrainingConfig, dir: String? = nil, resume: Checkpoint? = nil,
        stopAt: (@Sendable (StepEvent) -> Bool)? = nil
    ) throws -> (dir: String, events: [TrainerEvent], parameters: [Float]) {
        let dir = dir ?? temporaryDirectory()
        let events = Locked<[TrainerEvent]>([])
        let trainer = Locked<Trainer?>(nil)
        let t = try Trainer(
            config: c, train: small.train, dev: small.dev, runDirectory: dir, resume: resume,
            onEvent: { e in
                events.withLock { $0.append(e) }
                if case .step(let s) = e, stopAt?(s) == true { trainer.withLock { $0?.stop() } }
            })
        trainer.withLock { $0 = t }
        t.start(); t.wait()
        return (dir, events.withLock { $0 }, t.latestSnapshot!.parameters)
    }

    /// The metrics log's event lines named `name`, as JSON objects.
    func events(_ name: String, in dir: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: dir + "/metrics.jsonl", encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["event"] as? String == name }
    }

    @Test func devIntervalParsesItsTwoFormsAndRefusesOthers() throws {
        #expect(DevInterval(parsing: "200") == .steps(200))
        #expect(DevInterval(parsing: "0.25ep") == .epochFraction(0.25))
        for bad in ["", "ep", "0.25", "x", "+3", "0.25 ep", "1e"] where bad != "0.25" {
            #expect(DevInterval(parsing: bad) == nil, "\(bad)")
        }
        #expect(DevInterval.steps(0).problem != nil && DevInterval.steps(1).problem == nil)
        #expect(DevInterval.epochFraction(0).problem != nil && DevInterval.epochFraction(1.5).problem != nil)
        #expect(DevInterval.epochFraction(1).problem == nil)
        // run.json and checkpoints hold the command line's spelling.
        let data = try JSONEncoder().encode([DevInterval.epochFraction(0.25), .steps(7)])
        #expect(String(decoding: data, as: UTF8.self) == #"["0.25ep","7"]"#)
        #expect(
            try JSONDecoder().decode([DevInterval].self, from: data) == [.epochFraction(0.25), .steps(7)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([DevInterval].self, from: Data(#"["q"]"#.utf8))
        }
    }

    @Test func theScheduleNamesTheStepsInsideTheEpoch() {
        func steps(_ every: DevInterval, of n: Int, epoch: Int) -> [Int] {
            (1 ... n).filter { every.evaluates(afterStep: $0, of: n, globalStep: (epoch - 1) * n + $0) }
        }
        #expect(steps(.epochFraction(0.25), of: 12, epoch: 1) == [3, 6, 9])
        // 10 steps in thirds: the first step at or past 3.33 and 6.67.
        #expect(steps(.epochFraction(1.0 / 3), of: 10, epoch: 1) == [4, 7])
        // Global steps: multiples of 5 are 5, 10 in epoch 1 and 15, 20 (steps 3, 8) in epoch 2.
        #expect(steps(.steps(5), of: 12, epoch: 1) == [5, 10])
        #expect(steps(.steps(5), of: 12, epoch: 2) == [3, 8])
        // Never the last step: the epoch's own evaluation follows it.
        #expect(steps(.steps(1), of: 4, epoch: 1) == [1, 2, 3])
        #expect(steps(.epochFraction(1), of: 4, epoch: 1).isEmpty)
    }

    /// `devEvery` 5 over two epochs of 12 steps: evaluations at global steps 5, 10, 15 and 20,
    /// logged as events with their place in epochs, beside the two epoch records that old
    /// readers see unchanged. Scoring dev does not change training.
    @Test func devEveryLogsEvaluationsAtTheRightStepsAndLeavesTrainingAlone() throws {
        let plain = try train(small.config(epochs: 2) { _ in })
        let run = try train(small.config(epochs: 2) { $0.devEvery = .steps(5) })
        defer { for d in [plain.dir, run.dir] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(run.parameters == plain.parameters)
        let logged = try events("evaluation", in: run.dir)
        #expect(logged.map { $0["step"] as? Int } == [5, 10, 15, 20])
        #expect(logged.map { $0["epoch"] as? Int } == [1, 1, 2, 2])
        let positions = logged.compactMap { $0["position"] as? Double }
        let expected: [Double] = [5.0 / 12, 10.0 / 12, 1.0 + 3.0 / 12, 1.0 + 8.0 / 12]
        #expect(positions == expected)
        #expect(try MetricsLog.readEpochs(from: run.dir + "/metrics.jsonl").map(\.epoch) == [1, 2])
        let inEpoch = run.events.compactMap { if case .devEvaluation(let e) = $0 { e } else { nil } }
        #expect(inEpoch.map(\.dev.step) == [5, 10, 15, 20])
        // No evaluation events without the option.
        #expect(try events("evaluation", in: plain.dir).isEmpty)
    }

    /// `best` comes from the best evaluation, wherever it fell, and records its step.
    @Test func bestIsTheBestEvaluationAndRecordsItsStep() throws {
        let run = try train(small.config(epochs: 3) { $0.devEvery = .epochFraction(0.25) })
        defer { try? FileManager.default.removeItem(atPath: run.dir) }
        var all: [(step: Int, fineRoot: Double)] = try events("evaluation", in: run.dir).map {
            ($0["step"] as! Int, $0["fine_root"] as! Double)
        }
        all += try MetricsLog.readEpochs(from: run.dir + "/metrics.jsonl").map {
            ($0.epoch * 12, $0.fineRoot)
        }
        all.sort { $0.step < $1.step }
        #expect(all.count == 12)
        let first = all.first { e in !all.contains { $0.fineRoot > e.fineRoot } }!
        let best = try Checkpoint.read(from: run.dir + "/best.safetensors")
        #expect(best.progress.bestStep == first.step && best.progress.globalStep == first.step)
        #expect(best.progress.bestFineRoot == first.fineRoot)
        #expect(best.progress.bestEpoch == (first.step - 1) / 12 + 1)
        #expect(best.progress.problem == nil)
        // Each evaluation event says whether it was a new best: above every one before it.
        for e in try events("evaluation", in: run.dir) {
            let step = e["step"] as! Int, score = e["fine_root"] as! Double
            let record = all.prefix { $0.step < step }.allSatisfy { $0.fineRoot < score }
            #expect(e["best"] as? Bool == record, "step \(step)")
        }
    }

    /// A learning rate far too small to change any prediction: the first evaluation is the
    /// only gain. With patience 3 and an evaluation every 4 steps, the run stops at the 4th
    /// (step 16, inside epoch 2), says why and where the best was, and resumes to nothing.
    @Test func patienceStopsAtTheRightEvaluation() throws {
        let c = small.config(epochs: 5) {
            $0.learningRate = 1e-12; $0.devEvery = .steps(4); $0.patience = 3
        }
        let run = try train(c)
        defer { try? FileManager.default.removeItem(atPath: run.dir) }
        let last = try Checkpoint.read(from: run.dir + "/last.safetensors")
        #expect(last.progress.globalStep == 16 && last.progress.epochsCompleted == 1)
        #expect(last.progress.evaluationsWithoutGain == 3 && last.progress.bestStep == 4)
        let notes = run.events.compactMap { if case .stoppedEarly(let n) = $0 { n } else { nil } }
        #expect(
            notes == [
                "stopped early at epoch 1.33 (step 16): no dev fine root gain in 3 evaluations (patience 3); "
                    + "best was dev fine root \(percent(last.progress.bestFineRoot)) at epoch 0.33 (step 4)"
            ])
        #expect(run.events.contains { if case .state(.done) = $0 { true } else { false } })
        #expect(try events("early_stop", in: run.dir).map { $0["step"] as? Int } == [16])
        // Resumed, the trainer trains nothing more.
        let again = try train(c, dir: run.dir, resume: last)
        #expect(again.parameters == last.parameters)
    }

    /// The same flat run with a plateau of 2: evaluations at steps 4, 8, …, 24; the 3rd and
    /// 5th are the 2nd without a gain since the start and since the cut: halved at 12 and 20.
    @Test func thePlateauCutsTheRateAtTheRightEvaluations() throws {
        let lr = 1e-12
        let run = try train(
            small.config(epochs: 2) {
                $0.learningRate = lr; $0.devEvery = .steps(4); $0.lrPlateau = 2
            })
        defer { try? FileManager.default.removeItem(atPath: run.dir) }
        let cuts = try events("learning_rate", in: run.dir)
        #expect(cuts.map { $0["step"] as? Int } == [12, 20])
        #expect(cuts.map { $0["learning_rate"] as? Double } == [lr / 2, lr / 4])
        #expect(cuts.allSatisfy { $0["reason"] as? String == "plateau" })
        let last = try Checkpoint.read(from: run.dir + "/last.safetensors")
        #expect(last.progress.learningRate == lr / 4 && last.progress.evaluationsSinceCut == 1)
        let rates = run.events.compactMap { if case .learningRateChanged(let r) = $0 { r } else { nil } }
        #expect(rates == [lr / 2, lr / 4])
        // A factor of its own.
        let third = try train(
            small.config(epochs: 1) {
                $0.learningRate = lr; $0.devEvery = .steps(4); $0.lrPlateau = 2; $0.lrPlateauFactor = 0.25
            })
        defer { try? FileManager.default.removeItem(atPath: third.dir) }
        #expect(try events("learning_rate", in: third.dir).map { $0["learning_rate"] as? Double } == [lr / 4])
    }

    /// Stopped inside epoch 2, just after an evaluation, and resumed: the same parameters,
    /// rate, counts and evaluations as the run that went straight through.
    @Test func resumingInsideAnEpochMatchesTheUninterruptedRun() throws {
        let c = small.config(epochs: 3) {
            $0.devEvery = .epochFraction(0.25); $0.lrPlateau = 1; $0.patience = 50
            $0.wordOptimizer = .sgd; $0.wordLearningRate = 0.05
        }
        let straight = try train(c)
        let stopped = try train(c, stopAt: { $0.epoch == 2 && $0.stepInEpoch == 6 })
        defer { for d in [straight.dir, stopped.dir] { try? FileManager.default.removeItem(atPath: d) } }
        let middle = try Checkpoint.read(from: stopped.dir + "/last.safetensors")
        #expect(middle.progress.epochsCompleted == 1 && middle.progress.stepInEpoch == 6)
        let resumed = try train(c, dir: stopped.dir, resume: middle)
        #expect(resumed.parameters == straight.parameters)
        let a = try Checkpoint.read(from: straight.dir + "/last.safetensors")
        let b = try Checkpoint.read(from: stopped.dir + "/last.safetensors")
        var (pa, pb) = (a.progress, b.progress)
        (pa.elapsedSeconds, pb.elapsedSeconds) = (0, 0)
        #expect(pa == pb)
        #expect(a.optimizerState == b.optimizerState)
        func figures(_ dir: String) throws -> [String] {
            try events("evaluation", in: dir).map { e in
                ["step", "fine_root", "learning_rate", "best"].map { "\(e[$0]!)" }.joined(separator: " ")
            }
        }
        #expect(try figures(stopped.dir) == figures(straight.dir))
        #expect(
            try events("learning_rate", in: stopped.dir).count
                == events("learning_rate", in: straight.dir).count)
    }

    /// SGD on the word vectors beside AdaGrad: the rows of L move by exactly −rate·g, the
    /// dense tensors by AdaGrad's step; the rows' sums stay untouched.
    @Test func aWordOptimizerUpdatesTheRowsOfLByItsOwnRule() {
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 4, middle: 0, vocabularySize: 10))
        var g = SplitMix64(seed: 5)
        let start = (0 ..< layout.count).map { _ in Float(g.normal()) }
        var shard = Gradient<Float>(layout: layout)
        shard.dense = shard.dense.map { _ in Float(g.normal()) }
        shard.rows = [1, 7]
        shard.rowValues = (0 ..< 8).map { _ in Float(g.normal()) }
        var optimizer = Optimizer(kind: .adagrad, layout: layout, wordKind: .sgd)
        var p = start
        optimizer.step(
            &p, shards: [shard], scale: 1, l2: 0, learningRate: 0.05, wordLearningRate: 0.1,
            pool: WorkerPool(size: 1))
        for (k, row) in shard.rows.enumerated() {
            for j in 0 ..< 4 {
                let i = Int(row) * 4 + j
                #expect(p[i] == start[i] - Float(0.1) * shard.rowValues[k * 4 + j])
                #expect(optimizer.accumulator[i] == 0)
            }
        }
        for row in [0, 2, 3, 4, 5, 6, 8, 9] {
            #expect(p[row * 4 ..< row * 4 + 4] == start[row * 4 ..< row * 4 + 4])
        }
        let base = layout.L.count
        for k in shard.dense.indices {
            let gk = shard.dense[k]
            let step = Float(0.05) * gk / ((gk * gk).squareRoot() + Optimizer.defaultEpsilon)
            #expect(abs(p[base + k] - (start[base + k] - step)) <= 1e-6 * max(1, abs(start[base + k])))
        }
        // AdaGrad words beside SGD: the sums exist for L's rows only.
        var sgd = Optimizer(kind: .sgd, layout: layout, wordKind: .adagrad)
        var q = start
        sgd.step(
            &q, shards: [shard], scale: 1, l2: 0, learningRate: 0.05, wordLearningRate: 0.1,
            pool: WorkerPool(size: 1))
        #expect(sgd.accumulator.count == layout.count && sgd.accumulator[4] > 0)
        #expect(q[base] == start[base] - Float(0.05) * shard.dense[0])
    }

    /// In training: the word optimizer changes the run; naming the run's own rule at its own
    /// rate changes nothing (the rows take the same path as without it).
    @Test func theWordOptimizerChangesTrainingOnlyWhenItDiffers() throws {
        let plain = try small.run(small.config(epochs: 2) { _ in })
        let same = try small.run(small.config(epochs: 2) { $0.wordOptimizer = .adagrad })
        let sgd = try small.run(
            small.config(epochs: 2) {
                $0.wordOptimizer = .sgd; $0.wordLearningRate = 0.1
            })
        #expect(same == plain)
        #expect(sgd != plain)
    }

    /// Hand-edited settings that contradict each other are refused by the trainer.
    @Test func contradictorySettingsAreRefused() throws {
        let bad: [(inout TrainingConfig) -> Void] = [
            {
                $0.wordOptimizer = .sgd; $0.embeddingLRScale = 0.5
            },
            { $0.wordLearningRate = 0.1 },
            { $0.lrPlateauFactor = 0.5 },
            {
                $0.lrPlateau = 2; $0.lrPlateauFactor = 1
            },
            { $0.devEvery = .steps(0) },
            { $0.devEvery = .epochFraction(2) },
            { $0.patience = 0 },
            {
                $0.wordOptimizer = .sgd; $0.wordLearningRate = -1
            },
        ]
        for change in bad {
            #expect(throws: TrainerError.self) {
                try Trainer(
                    config: small.config(epochs: 1, change), train: small.train, dev: small.dev,
                    runDirectory: nil, onEvent: { _ in })
            }
        }
    }

    @Test func headersNameTheSettingsThatAreSet() {
        var c = TrainingConfig()
        let before = c.settingDescriptions
        c.wordOptimizer = .sgd; c.wordLearningRate = 0.1; c.devEvery = .epochFraction(0.25)
        c.lrPlateau = 2; c.patience = 10
        #expect(
            c.settingDescriptions
                == Array(before.dropLast(2)) + [
                    "words sgd lr 0.1", "dev every 0.25ep", "plateau 2 ×0.5", "patience 10",
                ] + before.suffix(2))
    }

    /// A checkpoint saved inside an epoch after a best there: its `bestEpoch` is the epoch
    /// under way, which only a run with `bestStep` may have.
    @Test func progressAllowsABestInTheEpochUnderWayOnlyWithItsStep() {
        var p = TrainingProgress(
            epochsCompleted: 1, stepInEpoch: 3, globalStep: 15, learningRate: 0.1, bestFineRoot: 0.4,
            bestEpoch: 2, elapsedSeconds: 1)
        #expect(p.problem != nil)
        p.bestStep = 14
        #expect(p.problem == nil)
        p.bestStep = 16
        #expect(p.problem?.contains("bestStep") == true)
        p.bestStep = 14; p.evaluationsWithoutGain = -1
        #expect(p.problem?.contains("evaluationsWithoutGain") == true)
    }
}
