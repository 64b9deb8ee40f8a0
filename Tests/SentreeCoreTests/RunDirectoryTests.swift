import Foundation
import Synchronization
import Testing
@testable import SentreeCore

@Suite struct RunDirectoryTests {
    @Test func aNewRunHasItsConfigAndHoldsTheLock() throws {
        let dir = temporaryDirectory()
        var config = TrainingConfig()
        config.dim = 12
        config.dataDirectory = "/data/sst"
        let run = try RunDirectory.create(at: dir + "/a/run", config: config)
        #expect(try run.files.readConfig() == config)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/a").sorted() == ["run"])
        #expect(throws: CheckpointError.self) { try RunDirectory.openExisting(run.path) }
        let holder = try String(contentsOfFile: run.files.lockPath, encoding: .utf8)
        #expect(holder.hasPrefix("pid \(getpid()) on "))
        run.release()
        let again = try RunDirectory.openExisting(run.path)
        #expect(again.path == run.path)
    }

    @Test func occupiedPlacesAreRefused() throws {
        let dir = temporaryDirectory()
        let run = try RunDirectory.create(at: dir + "/run", config: TrainingConfig())
        run.release()
        #expect { try RunDirectory.create(at: run.path, config: TrainingConfig()) } throws: { error in
            "\(error)".contains("already holds a run; continue it with --resume \(run.path)")
        }
        // A run from before run.json is recognised by its other files.
        let old = dir + "/old"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: old + "/metrics.jsonl"))
        #expect(throws: CheckpointError.self) { try RunDirectory.create(at: old, config: TrainingConfig()) }
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        #expect(throws: CheckpointError.self) {
            try RunDirectory.create(at: dir + "/file", config: TrainingConfig())
        }
        #expect(throws: CheckpointError.self) { try RunDirectory.openExisting(dir + "/missing") }
        #expect(throws: CheckpointError.self) { try RunDirectory.openExisting(dir) }
        // Nothing was left behind by the refusals: no staging folders, no lock files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["file", "old", "run"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: old) == ["metrics.jsonl"])
    }

    /// A failed start undoes `create` and nothing else (#18 item 16): the directory it made
    /// goes, an empty one the user gave stays, a file it does not know keeps its directory,
    /// and a run opened to resume is never touched.
    @Test func discardingANewRunRemovesOnlyWhatItsStartMade() throws {
        let dir = temporaryDirectory()
        let fresh = try RunDirectory.create(at: dir + "/fresh", config: TrainingConfig())
        try "probe".write(toFile: fresh.path + "/probes.txt", atomically: false, encoding: .utf8)
        fresh.discardNewRun()
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
        // The path is free again.
        try RunDirectory.create(at: fresh.path, config: TrainingConfig()).release()

        try FileManager.default.createDirectory(atPath: dir + "/given", withIntermediateDirectories: false)
        let given = try RunDirectory.create(at: dir + "/given", config: TrainingConfig())
        given.discardNewRun()
        #expect(try FileManager.default.contentsOfDirectory(atPath: given.path) == [])

        let other = try RunDirectory.create(at: dir + "/other", config: TrainingConfig())
        try "mine".write(toFile: other.path + "/notes.txt", atomically: false, encoding: .utf8)
        other.discardNewRun()
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["notes.txt"])

        let existing = try RunDirectory.create(at: dir + "/existing", config: TrainingConfig())
        existing.release()
        let opened = try RunDirectory.openExisting(existing.path)
        opened.discardNewRun()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: existing.path).sorted() == [
                "run.json", "sentree.lock",
            ])
    }

    @Test func concurrentCreatorsOfOneNameGetDistinctRuns() throws {
        let base = temporaryDirectory() + "/runs/rnn-20260101-000000"
        let paths = Mutex<[String]>([])
        let runs = Mutex<[RunDirectory]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let run = try? RunDirectory.createUnique(base: base, config: TrainingConfig()) {
                paths.withLock { $0.append(run.path) }
                runs.withLock { $0.append(run) }
            }
        }
        let made = paths.withLock { $0 }.sorted()
        #expect(made.count == 8)
        #expect(Set(made).count == 8)
        #expect(made.contains(base) && made.contains(base + "-8"))
    }
}

@Suite struct WriteFaultTests {
    static func data() throws -> (Treebank, Treebank) {
        (try TestTreebanks.treebank(count: 60, seed: 1), try TestTreebanks.treebank(count: 20, seed: 2))
    }

    /// A small model that saves `last` after every step, so faults come quickly.
    static func config(epochs: Int) -> TrainingConfig {
        var c = TrainingConfig()
        c.dim = 8
        c.epochs = epochs
        c.batchSize = 5
        c.threads = 1
        c.saveInterval = 1e-6  // as often as it can: after every minibatch (0 means every epoch end)
        return c
    }

    @Test func aFailedCheckpointWriteLeavesTheOldFileAndNoTemporary() throws {
        let dir = temporaryDirectory()
        let path = dir + "/last.safetensors"
        try AtomicFile.write(Data("old".utf8), to: path)
        #expect { try AtomicFile.write(Data(count: 10_000), to: path, fault: ENOSPC) } throws: { error in
            "\(error)".contains("No space left on device")
        }
        #expect(FileManager.default.contents(atPath: path) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["last.safetensors"])
    }

    /// Disk full after a few saves: every failure is reported with a running count, the
    /// trainer stops after three in a row (as headless asks), and what was saved before loads.
    @Test func repeatedWriteFailuresStopTheTrainerAndKeepEarlierCheckpoints() throws {
        let (train, dev) = try Self.data()
        let c = Self.config(epochs: 1000)
        let writes = Mutex(0)
        let faults = WriteFaults { _ in
            writes.withLock {
                $0 += 1; return $0 > 6 ? ENOSPC : nil
            }
        }
        let run = try RunDirectory.create(at: temporaryDirectory() + "/run", config: c, faults: faults)
        let log = EventLog()
        let t = try Trainer(
            config: c, train: train, dev: dev, run: run, stopAfterWriteFailures: 3, onEvent: log.post)
        t.start()
        t.wait()
        let failures = log.events.withLock {
            $0.compactMap { if case .writeFailed(let f) = $0 { f } else { nil } }
        }
        #expect(log.states.last == .failed)
        #expect(failures.map(\.consecutive).prefix(3) == [1, 2, 3])
        #expect(failures.allSatisfy { $0.error.contains("No space left on device") })
        #expect(log.epochs.count < 1000)
        let last = try Checkpoint.read(from: run.files.lastPath)
        #expect(last.progress.globalStep > 0)
        // The lock is released when the trainer ends.
        _ = try RunDirectory.openExisting(run.path)
    }

    /// Without a limit (the dashboard) training goes on through failed writes, and picks
    /// up saving again once the disk has room.
    @Test func withoutALimitTrainingGoesOnAndRecovers() throws {
        let (train, dev) = try Self.data()
        let c = Self.config(epochs: 6)
        let writes = Mutex(0)
        // Writes 3 to 30 fail, later ones succeed.
        let faults = WriteFaults { _ in
            writes.withLock {
                $0 += 1; return (3 ... 30).contains($0) ? EIO : nil
            }
        }
        let run = try RunDirectory.create(at: temporaryDirectory() + "/run", config: c, faults: faults)
        let log = EventLog()
        let t = try Trainer(config: c, train: train, dev: dev, run: run, onEvent: log.post)
        t.start()
        t.wait()
        #expect(log.states.last == .done)
        #expect(log.epochs.map(\.epoch) == [1, 2, 3, 4, 5, 6])
        #expect(log.events.withLock { $0.contains { if case .writeFailed = $0 { true } else { false } } })
        #expect(try Checkpoint.read(from: run.files.lastPath).progress.epochsCompleted == 6)
    }
}
