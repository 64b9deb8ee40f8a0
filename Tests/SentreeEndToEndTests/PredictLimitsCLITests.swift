import Foundation
import Testing

/// `predict`'s input rules are the treebank's, and its output stays linear in the input
/// (issue #18, item 10).
@Suite struct PredictLimitsCLITests {
    /// A line `eval` refuses for its length (1,048,591 bytes) was answered by `predict`.
    @Test func aLineOverTheTreebankLimitIsRefusedAsEvalRefusesIt() throws {
        let shared = try trained()
        // Within the limit once trimmed, which is what predict measured.
        let line = String(repeating: "good ", count: 209_700) + "a" + String(repeating: " ", count: 90)
        #expect(line.utf8.count == 1_048_591)
        let r = try sentree(
            ["predict", "--checkpoint", shared.run + "/best.safetensors", "--root-only"], input: line + "\n")
        #expect(r.status == 1, "\(r.stdout.prefix(200))")
        #expect(
            r.stderr.contains("line of 1048591 bytes is longer than the limit of 1048576 bytes"),
            "\(r.stderr)")
        let dir = try temporaryDirectory("sentree-long-line")
        try (line + "\n").write(toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
        let eval = try sentree([
            "eval", "--checkpoint", shared.run + "/best.safetensors", "--data", dir + "/dev.txt",
        ])
        #expect(eval.status == 1)
        #expect(eval.stderr.contains("longer than the limit of 1048576 bytes"), "\(eval.stderr)")
    }

    /// A 9,999-word sentence printed 450 MB: every node was indented by its depth and
    /// repeated its whole phrase. One line per node, each of bounded length.
    @Test func aLongSentencePrintsLinearOutput() throws {
        let shared = try trained()
        let words = (0 ..< 9_999).map { ["good", "bad", "film", "plot"][$0 % 4] }
        let r = try sentree(
            ["predict", "--checkpoint", shared.run + "/best.safetensors", "--text"],
            input: words.joined(separator: " ") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let nodes = r.outputLines.filter { $0.contains(" 0.") || $0.contains(" 1.00") }
        #expect(nodes.count == 2 * 9_999 - 1)
        #expect(r.stdout.utf8.count < 6_000_000, "\(r.stdout.utf8.count) bytes")
        #expect(r.outputLines.allSatisfy { $0.utf8.count < 400 })
        #expect(r.stdout.contains("  (9999 words)"))
    }

    /// `--json` of the same sentence: phrases over 200 tokens give their span (`start`,
    /// `end` into `tokens`) without repeating their words, so the output is linear; the
    /// root keeps its text, and the bracketed tree is the sentence's, once.
    @Test func aLongSentenceGivesLinearJSON() throws {
        let shared = try trained()
        let words = (0 ..< 9_999).map { ["good", "bad", "film", "plot"][$0 % 4] }
        let r = try sentree(
            ["predict", "--checkpoint", shared.run + "/best.safetensors", "--text", "--json"],
            input: words.joined(separator: " ") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.utf8.count < 5_000_000, "\(r.stdout.utf8.count) bytes")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let phrases = try #require(object["phrases"] as? [[String: Any]])
        #expect(phrases.count == 2 * 9_999 - 1)
        #expect(
            phrases.dropFirst().allSatisfy { $0["text"] == nil && $0["start"] is Int && $0["end"] is Int })
        let root = try #require(object["root"] as? [String: Any])
        #expect(root["text"] as? String == words.joined(separator: " "))
        let tree = try #require(object["tree"] as? String)
        #expect(tree.split(separator: " ").filter { !$0.hasPrefix("(") }.count == 9_999)

        // A short sentence keeps every phrase's text.
        let short = try sentree(
            ["predict", "--checkpoint", shared.run + "/best.safetensors", "--json", "good film"])
        let small = try #require(
            try JSONSerialization.jsonObject(with: Data(short.stdout.utf8)) as? [String: Any])
        let texts = (small["phrases"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        #expect(texts == ["good film", "good", "film"], "\(short.stdout)")
        #expect((small["tree"] as? String).map { $0.contains(/^\(\d \(\d good\) \(\d film\)\)$/) } == true)
    }
}
