import Testing
@testable import SentreeCore

/// The worker pool behind sharded training, and the optimizer step it splits by parameter.
@Suite struct WorkerPoolTests {
    /// No helper thread before a job needs one: a pool used only by its caller (a
    /// `ModelSnapshot` predicting on the members its callers name) starts none.
    @Test func helpersStartWithTheFirstJobThatNeedsThem() throws {
        let pool = WorkerPool(size: 3)
        #expect(!pool.hasStartedHelpers)
        pool.run(parts: 1) { _ in }
        #expect(!pool.hasStartedHelpers)
        let counts = Locked([Int](repeating: 0, count: 8))
        for _ in 0 ..< 50 { pool.run(parts: 8) { part in counts.withLock { $0[part] += 1 } } }
        #expect(pool.hasStartedHelpers)
        #expect(counts.withLock { $0 } == [Int](repeating: 50, count: 8))

        let layout = ParameterLayout(ModelConfig(kind: .treelstm, dim: 4, vocabularySize: 6))
        let snapshot = ModelSnapshot(
            layout: layout, parameters: layout.initialParameters(seed: 1), epoch: 1, step: 1, threads: 3)
        let bank = try Treebank.parse("(3 (2 a) (3 good))", source: "t")
        for member in 0 ..< 3 {
            _ = snapshot.predict(tree: 0, in: bank, wordIDs: [1, 2, -1], member: member)
        }
        #expect(!snapshot.runner.pool.hasStartedHelpers)
    }

    @Test func everyPartRunsExactlyOncePerJob() {
        for size in 1 ... 4 {
            let pool = WorkerPool(size: size)
            for parts in [1, 2, 3, 7] {
                let counts = Locked([Int](repeating: 0, count: parts))
                for _ in 0 ..< 200 {
                    pool.run(parts: parts) { part in counts.withLock { $0[part] += 1 } }
                }
                #expect(
                    counts.withLock { $0 } == [Int](repeating: 200, count: parts),
                    "size \(size) parts \(parts)")
            }
        }
    }

    /// Parts that run at the same time never share a member, so each member's scratch
    /// buffers (a parser network, a model engine) need no lock of their own.
    @Test func partsRunningAtOnceHaveDistinctMembers() {
        let pool = WorkerPool(size: 3)
        let busy = Locked([Bool](repeating: false, count: 3))
        let clashes = Locked(0)
        let seen = Locked(Set<Int>())
        for _ in 0 ..< 50 {
            pool.run(parts: 12) { _, member in
                busy.withLock {
                    if $0[member] { clashes.withLock { $0 += 1 } }
                    $0[member] = true
                }
                seen.withLock { _ = $0.insert(member) }
                var x = 0.0
                for k in 0 ..< 5_000 { x += Double(k).squareRoot() }
                busy.withLock { $0[member] = x < 0 }
            }
        }
        #expect(clashes.withLock { $0 } == 0)
        #expect(seen.withLock { $0 }.isSubset(of: [0, 1, 2]) && seen.withLock { $0 }.contains(0))
    }

    @Test func mapKeepsIndexOrder() {
        let pool = WorkerPool(size: 2)
        for count in [0, 1, 15, 16, 17, 100] {
            #expect(pool.map(count: count, grain: 16) { k, _ in k * k } == (0 ..< count).map { $0 * $0 })
        }
    }

    @Test func runReturnsOnlyAfterEveryPartFinished() {
        let pool = WorkerPool(size: 3)
        for _ in 0 ..< 100 {
            let done = Locked(0)
            pool.run(parts: 3) { _ in
                var x = 0.0
                for k in 0 ..< 20_000 { x += Double(k).squareRoot() }
                done.withLock { $0 += x > 0 ? 1 : 0 }
            }
            #expect(done.withLock { $0 } == 3)
        }
    }

    /// Three shards with overlapping rows of L, merged and applied by 1, 2 and 3 threads,
    /// against a plain scalar merge-scale-regularize-update written out here.
    @Test(arguments: [OptimizerKind.adagrad, .sgd])
    func splitStepEqualsThePlainUpdate(kind: OptimizerKind) {
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 40, middle: 0, vocabularySize: 300))
        var g = SplitMix64(seed: 11)
        let start = (0 ..< layout.count).map { _ in Float(g.normal()) }
        let shards = (0 ..< 3).map { s -> Gradient<Float> in
            var shard = Gradient<Float>(layout: layout)
            shard.dense = shard.dense.map { _ in Float(g.normal()) }
            // Rows 0..<120 shifted per shard: some rows in one shard, some in two or three.
            shard.rows = (0 ..< 60).map { Int32((2 * $0 + 37 * s) % 120) }
            shard.rowValues = (0 ..< 60 * 40).map { _ in Float(g.normal()) }
            return shard
        }
        let (scale, l2, lr): (Float, Float, Double) = (0.04, 0.001, 0.05)

        // The reference: one merged gradient, then each parameter updated in turn.
        var merged = shards[0]
        var rowSlot = [Int32](repeating: -1, count: 300)
        for (k, row) in merged.rows.enumerated() { rowSlot[Int(row)] = Int32(k) }
        for shard in shards.dropFirst() { merged.add(shard, rowSlot: &rowSlot) }
        merged.finishObjective(scale: scale, l2: l2, parameters: start)
        let full = merged.densified()
        var expected = start, sums = [Float](repeating: 0, count: layout.count)
        let touched = Set(merged.rows.flatMap { row in (0 ..< 40).map { Int(row) * 40 + $0 } })
        for i in 0 ..< layout.count where i >= layout.L.count || touched.contains(i) {
            if kind == .adagrad {
                sums[i] += full[i] * full[i]
                expected[i] -= Float(lr) * full[i] / (sums[i].squareRoot() + Optimizer.defaultEpsilon)
            } else {
                expected[i] -= Float(lr) * full[i]
            }
        }

        for threads in 1 ... 3 {
            var parameters = start
            var optimizer = Optimizer(kind: kind, layout: layout)
            optimizer.step(
                &parameters, shards: shards, scale: scale, l2: l2, learningRate: lr,
                pool: WorkerPool(size: threads))
            #expect(parameters == expected, "threads \(threads)")
            if kind == .adagrad { #expect(optimizer.accumulator == sums, "threads \(threads)") }
            #expect(optimizer.rowSlot.allSatisfy { $0 == -1 }, "the row map is left clean")
        }
    }

    @Test func frozenEmbeddingsLeaveLAndItsSumsAlone() {
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 40, middle: 0, vocabularySize: 300))
        let start = [Float](repeating: 0.5, count: layout.count)
        var shard = Gradient<Float>(layout: layout)
        shard.dense = shard.dense.map { _ in 1 }
        shard.rows = [3, 7]
        shard.rowValues = [Float](repeating: 1, count: 80)
        var parameters = start
        var optimizer = Optimizer(kind: .adagrad, layout: layout)
        optimizer.embeddingScale = 0
        optimizer.step(
            &parameters, shards: [shard, shard], scale: 1, l2: 0, learningRate: 0.1,
            pool: WorkerPool(size: 2))
        #expect(parameters[..<layout.L.count].allSatisfy { $0 == 0.5 })
        #expect(optimizer.accumulator[..<layout.L.count].allSatisfy { $0 == 0 })
        #expect(parameters[layout.L.count...].allSatisfy { $0 < 0.5 })
    }
}
