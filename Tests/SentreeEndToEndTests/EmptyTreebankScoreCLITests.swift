import Foundation
import Testing

/// Scoring an empty treebank is an error: `parser eval` printed bracket F1 100.00,
/// `parser check-tokenizer` "0 of 0 sentences (-nan%)", `eval` 0.00% everywhere, status 0.
@Suite struct EmptyTreebankScoreCLITests {
    @Test func anEmptyTreebankIsRefused() throws {
        let shared = try trained()
        let empty = NSTemporaryDirectory() + "/sentree-empty-\(UUID().uuidString).txt"
        try Data().write(to: URL(fileURLWithPath: empty))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        for arguments in [
            ["parser", "eval", "--data", shared.data, "--file", empty],
            ["parser", "check-tokenizer", "--data", shared.data, "--file", empty],
            ["eval", "--checkpoint", shared.run, "--data", empty],
            ["eval", "--checkpoint", shared.run, "--checkpoint", shared.run, "--data", empty],
        ] {
            let r = try sentree(arguments)
            #expect(r.status == 1, "\(arguments) \(r.stdout)")
            #expect(r.stderr.contains("\(empty): no trees to score"), "\(arguments) \(r.stderr)")
            #expect(!r.stdout.contains("100.00") && !r.stdout.contains("nan"), "\(arguments) \(r.stdout)")
        }
    }
}
