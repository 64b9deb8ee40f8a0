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

/// Memory that follows the data, not a fixed multiple of its largest tree.
@Suite struct TreeSizeMemoryCLITests {
    /// One tree of 10,000 words (19,999 nodes, nested 912 deep: within the documented limits)
    /// made every worker preallocate rows for 32 such trees: 18 GB for the Tree-LSTM on two
    /// threads, 46 s, and as much again for `eval`. Under a 3 GB address-space limit the old
    /// binary aborts; now training and eval take well under 1 GB.
    @Test(.enabled(if: sentreeBinary != nil && FileManager.default.isExecutableFile(atPath: "/bin/sh")))
    func oneHugeTreeTrainsAndEvaluatesInBoundedMemory() throws {
        let binary = try #require(sentreeBinary)
        let dir = try temporaryDirectory("sentree-huge-tree")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Right-branching chains of 900 words, joined left to right.
        func chain(_ words: Range<Int>) -> String {
            words.dropLast().reversed().reduce("(2 w\(words.last!))") { "(2 (2 w\($1)) \($0))" }
        }
        let chains = stride(from: 0, to: 10_000, by: 900).map { chain($0 ..< min(10_000, $0 + 900)) }
        let tree = chains.dropFirst().reduce(chains[0]) { "(2 \($0) \($1))" }
        try (tree + "\n").write(toFile: dir + "/train.txt", atomically: true, encoding: .utf8)
        try "(3 (2 w1) (3 w2))\n".write(toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
        let script = """
            ulimit -v 3000000
            "\(binary)" train --headless --data "\(dir)" --model treelstm --epochs 1 --threads 2 \
                --out "\(dir)/run" >"\(dir)/train.log" 2>&1 || { echo "train: $?"; cat "\(dir)/train.log"; }
            "\(binary)" eval --checkpoint "\(dir)/run" --data "\(dir)/train.txt" --threads 2 \
                >"\(dir)/eval.log" 2>&1 || { echo "eval: $?"; cat "\(dir)/eval.log"; }
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.isEmpty, "\(text)")
        let eval = try String(contentsOfFile: dir + "/eval.log", encoding: .utf8)
        #expect(eval.contains("1 trees, 19999 nodes"), "\(eval)")
    }
}
