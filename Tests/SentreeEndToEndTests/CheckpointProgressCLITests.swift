import Foundation
import Testing
import SentreeCore

// A checkpoint's progress is where a resumed run counts on from: out of range, it is refused.

/// A one-epoch run of its own, to edit and resume.
private func oneEpochRun(_ tag: String) throws -> (dir: String, run: String) {
    let shared = try trained()
    let dir = try temporaryDirectory(tag)
    let run = dir + "/run"
    let first = try sentree(["train", "--data", shared.data, "--out", run, "--epochs", "1"] + trainOptions)
    try #require(first.status == 0, "\(first.stderr)")
    return (dir, run)
}

@Suite struct CheckpointProgressCLITests {
    /// Before: traps (exit 132), training at lr -1, or a logged epoch that never ran.
    /// An impossible value of one key of a checkpoint's progress.
    enum BadProgress: String, CaseIterable, Sendable {
        case negativeEpochs, negativeStep, hugeNegativeGlobalStep, maxGlobalStep, negativeRate, stepPastEpoch

        var key: String {
            switch self {
            case .negativeEpochs: "epochsCompleted"
            case .negativeStep, .stepPastEpoch: "stepInEpoch"
            case .hugeNegativeGlobalStep, .maxGlobalStep: "globalStep"
            case .negativeRate: "learningRate"
            }
        }

        func apply(to p: inout TrainingProgress) {
            switch self {
            case .negativeEpochs: p.epochsCompleted = -5
            case .negativeStep: p.stepInEpoch = -5
            case .hugeNegativeGlobalStep: p.globalStep = -(1 << 62)
            case .maxGlobalStep: p.globalStep = .max
            case .negativeRate: p.learningRate = -1
            case .stepPastEpoch: p.stepInEpoch = 1_000_000_000
            }
        }
    }

    /// Before: traps (exit 132), training at lr -1, or a logged epoch that never ran.
    @Test(arguments: BadProgress.allCases)
    func resumeRefusesImpossibleProgress(_ bad: BadProgress) throws {
        let (dir, run) = try oneEpochRun("sentree-bad-progress")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let last = run + "/last.safetensors"
        var checkpoint = try Checkpoint.read(from: last)
        bad.apply(to: &checkpoint.progress)
        try checkpoint.write(to: last)
        let logged = try loggedEpochs(run)
        let r = try sentree(["train", "--headless", "--resume", run, "--epochs", "3"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("last.safetensors: metadata 'progress': \(bad.key)"), "\(r.stderr)")
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        #expect(try loggedEpochs(run) == logged)
    }

    /// The trainer validates the checkpoint's own config as it does the flags.
    @Test func resumeRefusesACheckpointWithTooManyThreads() throws {
        let (dir, run) = try oneEpochRun("sentree-bad-threads")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let last = run + "/last.safetensors"
        var checkpoint = try Checkpoint.read(from: last)
        checkpoint.config.threads = 100_000
        try checkpoint.write(to: last)
        let r = try sentree(["train", "--headless", "--resume", run, "--epochs", "3"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("threads must be from 1 to 256"), "\(r.stderr)")
    }
}
