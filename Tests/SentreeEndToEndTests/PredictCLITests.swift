import Foundation
import Testing
import SentreeCore

/// `predict` for scripts: JSON, one line per input, explicit input modes, errors per line.
@Suite struct PredictCLITests {
    @Test func jsonGivesTokensTreeRootPhrasesAndUnknownWords() throws {
        let shared = try trained()
        let r = try sentree([
            "predict", "--checkpoint", shared.run, "--json", "the movie is zebra",
            "(3 (2 not) (1 bad))",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let objects = try r.outputLines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
        try #require(objects.count == 2, "\(r.stdout)")
        let sentence = objects[0]
        #expect(sentence["tokens"] as? [String] == ["the", "movie", "is", "zebra"])
        #expect(sentence["unknown_words"] as? [String] == ["zebra"])
        #expect(sentence["approximate"] as? Bool == true)
        let phrases = try #require(sentence["phrases"] as? [[String: Any]])
        #expect(phrases.count == 7)  // 4 words, 3 inner nodes
        let root = try #require(sentence["root"] as? [String: Any])
        let p = try #require(root["probabilities"] as? [Double])
        #expect(p.count == 5 && abs(p.reduce(0, +) - 1) < 1e-4, "\(p)")
        #expect(root["class"] as? Int == p.indices.max { p[$0] < p[$1] })
        #expect(root["text"] as? String == "the movie is zebra")
        // The tree carries the predicted labels, the root's first.
        let tree = try #require(sentence["tree"] as? String)
        #expect(tree.hasPrefix("(\(root["class"] as? Int ?? -1) ") && tree.contains(" zebra)"), "\(tree)")
        let given = objects[1]
        #expect(given["approximate"] as? Bool == false)
        #expect((given["unknown_words"] as? [String])?.isEmpty == true)
        #expect((given["root"] as? [String: Any])?["gold"] as? Int == 3)
    }

    @Test func rootOnlyPrintsOneLinePerInput() throws {
        let shared = try trained()
        let r = try sentree([
            "predict", "--checkpoint", shared.run, "--root-only",
            "a good movie", "(2 (2 a) (4 great))",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.outputLines.count == 2, "\(r.stdout)")
        #expect(r.outputLines.first?.hasSuffix("  a good movie") == true, "\(r.stdout)")
        #expect(r.outputLines.last?.contains("gold 2") == true, "\(r.stdout)")
    }

    @Test func emptyInputIsAnError() throws {
        let shared = try trained()
        let r = try sentree(["predict", "--checkpoint", shared.run, ""])
        #expect(r.status == 1 && r.stdout.isEmpty)
        let expected = "Error: <argument 1>:1:1: empty input: give a sentence or a PTB tree"
        #expect(r.errorLines == [expected], "\(r.stderr)")
    }

    @Test func aBadLineIsReportedAndTheRestIsAnswered() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-predict-input")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try "good\n(2 (2 a) (2 b)\n\nbad\n".write(toFile: file, atomically: true, encoding: .utf8)
        let predict = ["predict", "--checkpoint", shared.run, "--root-only", "--input", file]
        let trees = try sentree(predict + ["--trees"])
        #expect(trees.status == 1)
        // Lines 1, 2 and 4 are not trees; the blank line is skipped.
        #expect(trees.errorLines.count == 3, "\(trees.stderr)")
        #expect(trees.stderr.contains("\(file):2:15: expected ')'"), "\(trees.stderr)")
        #expect(trees.stderr.contains("\(file):4:1: "), "\(trees.stderr)")

        let text = try sentree(predict + ["--text"])
        #expect(text.status == 0 && text.outputLines.count == 3, "\(text.stdout)\(text.stderr)")
        let second = text.outputLines.dropFirst().first
        #expect(second?.hasSuffix("( 2 ( 2 a ) ( 2 b )") == true, "\(text.stdout)")

        // Standard input: the line with a control character fails, the next one is answered.
        let stdin = try sentree(
            ["predict", "--checkpoint", shared.run, "--root-only"],
            input: "a fine movie\nnot\u{0} bad\nthe plot\n")
        #expect(stdin.status == 1 && stdin.errorLines.count == 1, "\(stdin.stderr)")
        #expect(stdin.stdout.contains("the plot") && stdin.outputLines.count == 2, "\(stdin.stdout)")
    }

    @Test func nothingIsSaidAboutVectorsWhenNoneWereAskedFor() throws {
        let shared = try trained()
        let r = try sentree(["predict", "--checkpoint", shared.run], input: "a zebra\n")
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("read as <unk>: zebra"), "\(r.stdout)")
    }
}
