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
        #expect(sentence["approximate"] as? Bool == false && sentence["structure"] as? String == "parsed")
        let parser = try ParserFile.read(from: shared.data + "/parser.safetensors")
        #expect(sentence["parser_dev_f1"] as? Double == parser.devF1)
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
        #expect(given["approximate"] as? Bool == false && given["structure"] as? String == "given")
        #expect(given["parser_dev_f1"] == nil)
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

/// Where `predict` and `eval` get the parser for plain sentences, and what they say about it.
@Suite struct PredictParserCLITests {
    /// The tree `sentree parse` gives `sentence` with `parser`, as unlabeled brackets.
    func parsedBrackets(_ sentence: String, parser: String) throws -> String {
        let r = try sentree(["parse", "--parser", parser, sentence])
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .newlines).replacing("(2 ", with: "(")
    }

    @Test func plainSentencesGetTheParsersTree() throws {
        let shared = try trained()
        let parser = shared.data + "/parser.safetensors"
        let sentences = ["the movie is not very good", "(a) good plot , very dull ."]
        let r = try sentree(["predict", "--checkpoint", shared.run, "--json", "--text"] + sentences)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        try #require(r.outputLines.count == 2, "\(r.stdout)")
        for (line, sentence) in zip(r.outputLines, sentences) {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            // The predicted labels aside, the tree is the parser's.
            let tree = try #require(object["tree"] as? String)
            let bare = tree.replacing(#/\([0-4] /#, with: "(")
            #expect(bare == (try parsedBrackets(sentence, parser: parser)), "\(tree)")
            let phrases = try #require(object["phrases"] as? [[String: Any]])
            #expect(phrases.count == 2 * (object["tokens"] as? [String] ?? []).count - 1)
            #expect(phrases.allSatisfy { ($0["probabilities"] as? [Double])?.count == 5 })
        }
    }

    @Test func withoutTrainingTreesTheTreeIsApproximateAndSaidOnce() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        let train = try sentree(["train", "--data", data, "--out", run, "--epochs", "1"] + trainOptions)
        try #require(train.status == 0, "\(train.stderr)")
        try FileManager.default.removeItem(atPath: data + "/train.txt")
        let r = try sentree(
            ["predict", "--checkpoint", run, "--root-only"], input: "a good movie\nthe plot\n")
        #expect(r.status == 0 && r.outputLines.count == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.errorLines.count == 1 && r.stderr.contains("no training trees"), "\(r.stderr)")
        let text = try sentree(["predict", "--checkpoint", run, "a good movie"])
        #expect(text.stdout.contains("(structure approximate: sentence binarized without a parser)"))
        let json = try sentree(["predict", "--checkpoint", run, "--json", "a good movie"])
        #expect(json.stdout.contains("\"structure\":\"approximate\""), "\(json.stdout)")
    }

    /// A cached parser made by an earlier day's defaults is used as it is, with a note that
    /// names what changed; one given with `--parser` is the user's choice and gets none.
    @Test func aCachedParserOfOlderDefaultsIsUsedWithANote() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = data + "/run"
        let train = try sentree(["train", "--data", data, "--out", run, "--epochs", "1"] + trainOptions)
        try #require(train.status == 0, "\(train.stderr)")
        let made = try sentree(["parser", "train", "--data", data] + smallParserOptions)
        try #require(made.status == 0, "\(made.stderr)")
        let cachePath = data + "/parser.safetensors"
        let plain = try sentree(["predict", "--checkpoint", run, "--root-only", "a good movie"])
        #expect(plain.status == 0 && plain.stderr.isEmpty, "chosen settings get no note: \(plain.stderr)")
        // Mark the file as trained by the defaults of its day, as the automatic training would.
        var parser = try ParserFile.read(from: cachePath)
        try #require(parser.info["recipe"] == "custom")
        parser.info["recipe"] = "default"
        try ParserFile.write(parser, to: cachePath)
        let r = try sentree(["predict", "--checkpoint", run, "--root-only", "a good movie"])
        #expect(r.status == 0 && r.outputLines.count == 1, "\(r.stdout)\(r.stderr)")
        // The run records its data directory in its own spelling of the path.
        let recorded = try #require(
            r.stderr.firstMatch(of: #/note: the cached parser (\S+)parser\.safetensors \(dev F1 /#),
            "\(r.stderr)")
        #expect(recorded.1.hasSuffix("/") && FileManager.default.fileExists(atPath: recorded.1 + "train.txt"))
        #expect(
            r.stderr.contains(
                "LSTM width was 16, now 192; span scorer width was 16, now 256; epochs was 2, now 10"))
        #expect(r.stderr.contains("`sentree parser train --data "), "\(r.stderr)")
        let given = try sentree([
            "predict", "--checkpoint", run, "--root-only", "--parser", cachePath, "a good movie",
        ])
        #expect(given.status == 0 && given.stderr.isEmpty, "\(given.stderr)")
    }

    /// Also as root, whom the system lets write anywhere: the directory's mode is what counts.
    @Test func aParserIsTrainedOnceAndCachedOutsideAReadOnlyDataDirectory() throws {
        let data = try makeDataDirectory()
        let cache = try temporaryDirectory("sentree-xdg")
        let runs = try temporaryDirectory("sentree-xdg-run")
        defer {
            chmod(data, 0o755)
            for dir in [data, cache, runs] { try? FileManager.default.removeItem(atPath: dir) }
        }
        let run = runs + "/run"
        let train = try sentree(["train", "--data", data, "--out", run, "--epochs", "1"] + trainOptions)
        try #require(train.status == 0, "\(train.stderr)")
        try #require(chmod(data, 0o555) == 0)
        let binary = try #require(sentreeBinary)
        func predict() throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["predict", "--checkpoint", run, "--root-only", "a good movie"]
            process.environment = ProcessInfo.processInfo.environment.merging(["XDG_CACHE_HOME": cache]) {
                $1
            }
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let first = try predict()
        #expect(first.status == 0 && first.stderr.contains("training one"), "\(first.stderr)")
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache + "/sentree")
        #expect(cached.count == 1 && cached[0].hasPrefix("parser-"), "\(cached)")
        #expect(!FileManager.default.fileExists(atPath: data + "/parser.safetensors"))
        let second = try predict()
        #expect(second.status == 0 && second.stderr.isEmpty, "\(second.stderr)")
    }

    @Test func aForeignParserFileIsAClearError() throws {
        let shared = try trained()
        // A model checkpoint is a safetensors file too, but no parser.
        let r = try sentree([
            "predict", "--checkpoint", shared.run, "--parser", shared.run + "/best.safetensors", "good",
        ])
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a sentree parser file"), "\(r.stderr)")
        let garbage = try temporaryDirectory("sentree-bad-parser") + "/p.safetensors"
        try "not a file of tensors".write(toFile: garbage, atomically: true, encoding: .utf8)
        let bad = try sentree(["predict", "--checkpoint", shared.run, "--parser", garbage, "good"])
        #expect(bad.status == 1 && bad.stderr.contains(garbage), "\(bad.stderr)")
    }

    @Test func evalParseScoresParsedAndRightBranchingTrees() throws {
        let shared = try trained()
        let parserFile = shared.data + "/parser.safetensors"
        let r = try sentree(["eval", "--checkpoint", shared.run, "--json", "--parse", "--right-branching"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let parsed = try #require(object["parsed"] as? [String: Any])
        let right = try #require(object["right_branching"] as? [String: Any])
        let dev = try Treebank.load(contentsOf: shared.data + "/dev.txt")
        let parser = try ParserFile.read(from: parserFile)
        #expect(abs((parsed["bracket_f1"] as? Double ?? -1) - parser.evaluate(dev).f1) < 1e-9, "\(parsed)")
        #expect(parsed["parser_dev_f1"] as? Double == parser.devF1)
        var baseline = BracketScore()
        for t in 0 ..< dev.count {
            baseline.add(
                predicted: BracketScore.rightBranchingSpans(ParserData.tokens(of: t, in: dev)),
                gold: BracketScore.spans(of: t, in: dev))
        }
        #expect(abs((right["bracket_f1"] as? Double ?? -1) - baseline.f1) < 1e-9, "\(right)")
        for entry in [parsed, right] {
            for key in ["fine_all", "fine_root", "binary_root", "binary_all"] {
                let v = try #require(entry[key] as? Double, "\(key)")
                #expect(v >= 0 && v <= 1)
            }
            // Every root and word is a gold node; inner nodes only when the bracket matches.
            let nodes = try #require(entry["nodes_scored"] as? Int)
            let roots = (0 ..< dev.count).filter { dev.nodes(of: $0).count > 1 }.count
            #expect(nodes >= dev.tokens.count + roots && nodes <= dev.nodeCount, "\(nodes)")
        }
        let text = try sentree(["eval", "--checkpoint", shared.run, "--parse"])
        #expect(text.stdout.contains("parsed trees (parsed · F1 "), "\(text.stdout)")
        #expect(text.stdout.contains("points vs gold trees"))
        #expect(!text.stdout.contains("right-branching trees"))
    }
}

@Suite struct DetokenizeCLITests {
    /// The plain text that `predict --input` is timed on: one typed sentence per tree, repeated.
    @Test func treesBecomeTypedSentencesRepeated() throws {
        let dir = try temporaryDirectory("sentree-detokenize")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/dev.txt"
        try """
        (3 (2 (2 It) (2 (2 's) (2 fine))) (2 .))
        (1 (2 (2 -LRB-) (2 (2 do) (2 (2 n't) (2 -RRB-)))) (2 ...))

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try sentree(["parser", "detokenize", "--file", file, "--repeat", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.outputLines == ["It's fine.", "(don't)...", "It's fine.", "(don't)..."])
        let zero = try sentree(["parser", "detokenize", "--file", file, "--repeat", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--repeat"))
    }
}
