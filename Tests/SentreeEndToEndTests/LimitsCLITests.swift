import Foundation
import Testing
import SentreeCore

// Settings and data sentree cannot train with: each is a one-line error and exit status 1
// before the run directory exists, never a trap or a run holding only run.json.

@Suite struct SettingLimitsCLITests {
    /// Before: an arithmetic-overflow trap, `epoch 2/1` and `epoch 1/-2147483648`.
    @Test(arguments: [
        (["--batch-size", "9223372036854775807"], "--batch-size must be from 1 to 1000000"),
        (["--epochs", "4294967297"], "--epochs must be from 1 to 1000000"),
        (["--epochs", "2147483648"], "--epochs must be from 1 to 1000000"),
        (["--threads", "100000"], "--threads must be from 1 to 256"),
        (["--dim", "100000"], "--dim must be from 1 to 65535"),
        (["--epochs", "0"], "--epochs must be from 1 to 1000000"),
    ])
    func outOfRangeFlagsAreOneLineErrorsWithStatus1(_ flags: [String], _ message: String) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-limits")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try sentree(["train", "--headless", "--data", shared.data, "--out", dir + "/run"] + flags)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("Error: \(message)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"))
    }

    /// Before: an abort allocating tens of GB, leaving a run directory with only run.json.
    @Test(arguments: [
        (["--model", "rntn", "--dim", "2000"], "--dim 2000 (rntn) needs an estimated"),
        (["--dim", "20000"], "--dim 20000 (rnn) needs an estimated"),
    ])
    func aRunOverTheMemoryBudgetIsRefusedBeforeItsDirectory(_ flags: [String], _ start: String) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-memory")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try sentree(["train", "--headless", "--data", shared.data, "--out", dir + "/run"] + flags)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(start), "\(r.stderr)")
        #expect(r.stderr.contains("more than the limit of 8.0 GiB"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"))
    }

    @Test func anEmptyDevSetIsRefusedBeforeTraining() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-empty-dev")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: shared.data + "/train.txt", toPath: dir + "/train.txt")
        try "".write(toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
        let r = try sentree(["train", "--data", dir, "--out", dir + "/run", "--epochs", "1"] + trainOptions)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir)/dev.txt: no dev trees"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"))
    }
}
