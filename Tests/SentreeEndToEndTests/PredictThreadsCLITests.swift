import Foundation
import Testing

/// `predict` answers on every thread at once, yet prints what one thread prints.
@Suite struct PredictThreadsCLITests {
    /// Plain sentences of 1 to 23 words (so the parser's batches differ in length), PTB trees,
    /// empty lines and bad lines, over more lines than one chunk holds.
    static func mixedInput() -> (text: String, badLines: [Int]) {
        let words = ["a", "good", "movie", ",", "not", "bad", "the", "plot", "is", "fine", "zebra", "."]
        var lines: [String] = []
        var bad: [Int] = []
        for k in 0 ..< 2_150 {
            switch k % 97 {
            case 5: lines.append("(3 (2 not) (3 bad))")
            case 6: lines.append("((a) (good movie))")
            case 8:
                lines.append("a bad \u{1} line")
                bad.append(k + 1)
            case 9: lines.append("")
            default:
                let n = 1 + (k * 7) % 23
                lines.append((0 ..< n).map { words[(k + $0 * 5) % words.count] }.joined(separator: " "))
            }
        }
        return (lines.joined(separator: "\n") + "\n", bad)
    }

    @Test(arguments: [[], ["--root-only"], ["--json"]])
    func twoThreadsPrintWhatOnePrints(format: [String]) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-predict-threads")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        let (text, badLines) = Self.mixedInput()
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let predict = ["predict", "--checkpoint", shared.run, "--input", file] + format
        let one = try sentree(predict + ["--threads", "1"], combined: true)
        let two = try sentree(predict + ["--threads", "2"], combined: true)
        #expect(one.status == 1 && two.status == 1, "\(two.stdout.suffix(500))")
        #expect(one.stdout == two.stdout)
        // Each bad line's error, in order, right after the answer of the line before it.
        let lines = two.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let errors = lines.indices.filter { lines[$0].hasPrefix("Error: ") }
        #expect(
            errors.map { String(lines[$0]) }
                == badLines.map {
                    "Error: \(file):\($0):7: control character U+0001 is not allowed in a word"
                })
        if format == ["--root-only"] {
            // One line per input: the line before each error answers the file's line before it.
            let inputs = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (e, line) in zip(errors, badLines) {
                #expect(lines[e - 1].hasSuffix("  " + inputs[line - 2]), "\(lines[e - 1])")
            }
            // Every input gets its line, answer or error, and nothing else is printed.
            #expect(lines.count { !$0.isEmpty } == inputs.count { !$0.isEmpty })
        }
    }

    /// Lines wait to be answered until a chunk is full or input pauses; a line too long to
    /// hold, which stops the input, must not take the lines before it down with it.
    @Test func linesBeforeAnOverlongLineAreAnswered() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-predict-overlong")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try ("a good movie\nthe plot\n" + String(repeating: "a", count: 1_100_000) + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try sentree(
            ["predict", "--checkpoint", shared.run, "--root-only", "--input", file], combined: true)
        #expect(r.status != 0)
        let lines = r.outputLines
        try #require(lines.count == 3, "\(r.stdout.prefix(2_000))")
        #expect(lines[0].hasSuffix("  a good movie") && lines[1].hasSuffix("  the plot"))
        #expect(lines[2].contains("\(file):3") && lines[2].contains("longer than the limit"), "\(lines[2])")
    }
}
