import Foundation
import Synchronization
import Testing
@testable import SentreeCore

/// Disk full when `best` is written (issue #18, item 17): the summary said "best … at
/// epoch 5" of a file that held epoch 1. An epoch is the best only once its file is written.
@Suite struct BestSaveFailureTests {
    @Test func aBestThatCouldNotBeWrittenIsNotReportedAsTheBest() throws {
        let (train, dev) = try WriteFaultTests.data()
        var c = WriteFaultTests.config(epochs: 12)
        c.saveInterval = 0
        c.learningRate = 0.05
        let bestWrites = Mutex(0)
        // The first `best` is written; every later one finds the disk full.
        let faults = WriteFaults { path in
            guard path.hasSuffix("/best.safetensors") else { return nil }
            return bestWrites.withLock {
                $0 += 1; return $0 > 1 ? ENOSPC : nil
            }
        }
        let run = try RunDirectory.create(at: temporaryDirectory() + "/run", config: c, faults: faults)
        let log = EventLog()
        let t = try Trainer(config: c, train: train, dev: dev, run: run, onEvent: log.post)
        t.start()
        t.wait()
        let epochs = log.epochs
        // The case of the issue: a later epoch beat the one whose best was written.
        try #require(bestWrites.withLock { $0 } > 1, "no later epoch beat the first best")
        let onDisk = try Checkpoint.read(from: run.files.bestPath).progress
        let reported = try #require(epochs.last { $0.isBest })
        #expect(reported.epoch == onDisk.bestEpoch)
        #expect(reported.dev.metrics.fineRoot == onDisk.bestFineRoot)
        // `last` agrees with the file too.
        #expect(try Checkpoint.read(from: run.files.lastPath).progress.bestEpoch == onDisk.bestEpoch)
    }
}
