import Foundation
import Testing
import SentreeCore

// End-to-end tests of the `sentree` executable, run as a subprocess. `swift test` builds it
// into the same products directory as the test bundle.

// MARK: - Running the binary

/// The built `sentree` executable: the first directory above the test bundle that holds it.
let sentreeBinary: String? = {
    var starts = [
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL,
    ]
    if let override = ProcessInfo.processInfo.environment["SENTREE_BINARY"] { return override }
    while let start = starts.popLast() {
        var dir = start
        for _ in 0 ..< 6 {
            let candidate = dir.appendingPathComponent("sentree").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory),
                !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
    }
    return nil
}()

struct Run: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Non-empty lines of stderr.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
    var outputLines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs `sentree arguments…` with `input` (default: nothing) as standard input; output goes
/// through files so that neither pipe can fill up and block the child. `directory` is its
/// working directory (default: the test's). With `combined`, standard error goes into
/// `stdout` too, so the order in which the two interleave shows.
func sentree(
    _ arguments: [String], input: String? = nil, directory: String? = nil,
    environment: [String: String]? = nil, combined: Bool = false
) throws -> Run {
    let binary = try #require(
        sentreeBinary,
        "sentree executable not found next to the test bundle; run `swift build -c release` first")
    let dir = try temporaryDirectory("sentree-run")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let outPath = dir + "/stdout", errPath = dir + "/stderr"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try #require(FileHandle(forWritingAtPath: outPath))
    let err = try #require(FileHandle(forWritingAtPath: errPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    if let input {
        try input.write(toFile: dir + "/stdin", atomically: true, encoding: .utf8)
        process.standardInput = try #require(FileHandle(forReadingAtPath: dir + "/stdin"))
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    process.standardOutput = out
    process.standardError = combined ? out : err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Run(
        status: process.terminationStatus,
        stdout: try String(contentsOfFile: outPath, encoding: .utf8),
        stderr: try String(contentsOfFile: errPath, encoding: .utf8))
}

func temporaryDirectory(_ tag: String) throws -> String {
    let path = NSTemporaryDirectory() + "/\(tag)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

// MARK: - A small synthetic treebank

/// Deterministic random labelled trees over a tiny sentiment lexicon.
func syntheticTreebank(trees: Int, seed: UInt64) -> String {
    let lexicon: [(String, Int)] = [
        ("good", 3), ("great", 4), ("fun", 3), ("charming", 4), ("bad", 1), ("awful", 0), ("dull", 1),
        ("boring", 0), ("the", 2), ("movie", 2), ("plot", 2), ("a", 2), ("is", 2), ("very", 2), ("not", 2),
    ]
    var state = seed
    func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
    func tree(_ depth: Int) -> (text: String, label: Int) {
        if depth == 0 || next(3) == 0 {
            let (word, label) = lexicon[next(lexicon.count)]
            return ("(\(label) \(word))", label)
        }
        let l = tree(depth - 1), r = tree(depth - 1)
        let label = min(4, max(0, l.label + r.label - 2))
        return ("(\(label) \(l.text) \(r.text))", label)
    }
    return (0 ..< trees).map { _ in tree(4).text }.joined(separator: "\n") + "\n"
}

/// The settings a run recorded in its `run.json`.
func storedConfig(_ run: String) throws -> TrainingConfig {
    try JSONDecoder().decode(
        TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: run + "/run.json")))
}

/// A data directory with 300 training trees and 50 dev trees: enough epochs' work for a test
/// to stop a trial part-way. `seed` and `seed + 1` draw the two sets.
func makeLargerDataDirectory(_ tag: String, seed: UInt64) throws -> String {
    let dir = try temporaryDirectory(tag)
    try syntheticTreebank(trees: 300, seed: seed)
        .write(toFile: dir + "/train.txt", atomically: true, encoding: .utf8)
    try syntheticTreebank(trees: 50, seed: seed + 1)
        .write(toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
    return dir
}

/// A data directory with train.txt (40 trees) and dev.txt (15 trees).
func makeDataDirectory() throws -> String {
    let dir = try temporaryDirectory("sentree-data")
    try syntheticTreebank(trees: 40, seed: 1).write(
        toFile: dir + "/train.txt", atomically: true, encoding: .utf8)
    try syntheticTreebank(trees: 15, seed: 2).write(
        toFile: dir + "/dev.txt", atomically: true, encoding: .utf8)
    return dir
}

/// Options of every training run here: small, one thread, fixed seed (so runs are reproducible).
let trainOptions = ["--headless", "--dim", "8", "--batch-size", "8", "--threads", "1", "--seed", "7"]

/// A parser small and quick to train (well under a second on a test treebank).
let smallParserOptions = ["--epochs", "2", "--hidden", "16", "--span-hidden", "16", "--embeddings", "none"]

/// One 4-epoch run shared by the tests that need a trained model (trained once, lazily).
struct TrainedRun: Sendable {
    let data: String
    let run: String
    let output: Run
}

let sharedRun: Result<TrainedRun, any Error> = Result {
    let data = try makeDataDirectory()
    let run = data + "/run"
    let output = try sentree(["train", "--data", data, "--out", run, "--epochs", "4"] + trainOptions)
    // The run's data directory gets its parser now, as the first plain sentence would give it.
    let parser = try sentree(["parser", "train", "--data", data] + smallParserOptions)
    guard parser.status == 0 else { return TrainedRun(data: data, run: run, output: parser) }
    return TrainedRun(data: data, run: run, output: output)
}

func trained() throws -> TrainedRun {
    let shared = try sharedRun.get()
    try #require(shared.output.status == 0, "training failed: \(shared.output.stderr)")
    return shared
}

// MARK: - Malformed input

/// A malformed treebank line, and where and what the error must report.
struct BadTree: Sendable, CustomTestStringConvertible {
    let name: String
    let line: String
    let column: Int
    let message: String
    var testDescription: String { name }
}

let badTrees: [BadTree] = [
    BadTree(name: "unbalanced (missing ')')", line: "(2 (2 a) (2 b)", column: 15, message: "expected ')'"),
    BadTree(name: "unbalanced (extra ')')", line: "(2 (2 a) (2 b)))", column: 16, message: "unexpected ')'"),
    BadTree(name: "label outside 0-4", line: "(2 (7 a) (2 b))", column: 5, message: "label 7 is outside 0-4"),
    BadTree(name: "negative label", line: "(-1 (2 a) (2 b))", column: 2, message: "outside 0-4"),
    BadTree(
        name: "non-integer label", line: "(x (2 a) (2 b))", column: 2,
        message: "expected a label 0-4, found 'x'"),
    BadTree(name: "one child", line: "(2 (2 a))", column: 1, message: "exactly two children, found 1"),
    BadTree(
        name: "three children", line: "(2 (2 a) (2 b) (2 c))", column: 1,
        message: "exactly two children, found 3"),
    BadTree(name: "empty word", line: "(2 (2 a) (2 ))", column: 13, message: "empty word"),
    BadTree(
        name: "trailing junk", line: "(2 (2 a) (2 b)) junk", column: 17,
        message: "unexpected text after the end of the tree"),
    BadTree(
        name: "absurd depth",
        line: String(repeating: "(2 ", count: 1500) + "a" + String(repeating: ")", count: 1500),
        column: 3 * 1000 + 1, message: "nested deeper than 1000"),
]

/// Checks that a run failed with exactly one stderr line `file:line:column: message`.
func expectLocatedError(
    _ r: Run, file: String, line: Int, column: Int, message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(r.status == 1, "exit status", sourceLocation: sourceLocation)
    #expect(r.errorLines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    let first = r.errorLines.first ?? ""
    let prefix = "\(file):\(line):\(column): "
    #expect(first.contains(prefix), "expected '\(prefix)' in: \(first)", sourceLocation: sourceLocation)
    #expect(first.contains(message), "expected '\(message)' in: \(first)", sourceLocation: sourceLocation)
    expectNoRawControls(r.stderr, "stderr", sourceLocation: sourceLocation)
}

@Suite struct CLIMalformedInputTests {
    @Test(arguments: badTrees + hostileTrees)
    func evalReportsMalformedTreebankWithLocation(_ bad: BadTree) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/bad.txt"
        // The bad tree is on line 3, after a good tree and a blank line.
        try "(3 (2 a) (3 good))\n\n\(bad.line)\n(2 fine)\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let r = try sentree(["eval", "--checkpoint", shared.run + "/best.safetensors", "--data", file])
        expectLocatedError(r, file: file, line: 3, column: bad.column, message: bad.message)
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [badTrees[2], badTrees[5], badTrees[9]])
    func trainReportsMalformedTrainingData(_ bad: BadTree) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let train = data + "/train.txt"
        let good = try String(contentsOfFile: train, encoding: .utf8)
        try (good + bad.line + "\n").write(toFile: train, atomically: true, encoding: .utf8)
        let r = try sentree(
            ["train", "--data", data, "--out", data + "/run", "--epochs", "1"] + trainOptions)
        expectLocatedError(r, file: train, line: 41, column: bad.column, message: bad.message)
        #expect(!FileManager.default.fileExists(atPath: data + "/run/last.safetensors"))
    }

    @Test func corruptedCheckpointIsAOneLineErrorNamingTheFile() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-corrupt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try Data(contentsOf: URL(fileURLWithPath: shared.run + "/best.safetensors"))
        var flipped = good
        flipped[flipped.count - 3] ^= 0x40
        let cases: [(String, Data, String)] = [
            ("truncated.safetensors", good.prefix(good.count / 2), "truncated"),
            ("short.safetensors", good.prefix(5), "truncated"),
            ("flipped.safetensors", flipped, "checksum"),
            ("empty.safetensors", Data(), "truncated"),
        ]
        for (name, bytes, keyword) in cases {
            let path = dir + "/" + name
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = try sentree(["eval", "--checkpoint", path, "--data", shared.data + "/dev.txt"])
            #expect(r.status == 1, "\(name)")
            #expect(r.errorLines.count == 1, "\(name): \(r.stderr)")
            #expect(r.errorLines.first?.contains(path) == true, "\(name): \(r.stderr)")
            #expect(r.errorLines.first?.contains(keyword) == true, "\(name): \(r.stderr)")
        }
        // Valid container and checksum, but a vocabulary word repeats (used to trap in Vocabulary).
        var duplicated = try Checkpoint.read(from: shared.run + "/best.safetensors")
        duplicated.vocabulary[duplicated.vocabulary.count - 1] = duplicated.vocabulary[1]
        try duplicated.write(to: dir + "/dup.safetensors")
        for command in ["eval", "predict"] {
            let r = try sentree(
                [command, "--checkpoint", dir + "/dup.safetensors"]
                    + (command == "eval" ? ["--data", shared.data + "/dev.txt"] : ["(2 good)"]))
            #expect(r.status == 1, "\(command): \(r.stderr)")
            #expect(
                r.errorLines.count == 1 && r.stderr.contains(dir + "/dup.safetensors")
                    && r.stderr.contains("twice"),
                "\(command): \(r.stderr)")
        }
        let missing = try sentree([
            "eval", "--checkpoint", dir + "/nope.safetensors", "--data", shared.data + "/dev.txt",
        ])
        #expect(missing.status == 1)
        #expect(missing.errorLines.count == 1 && missing.stderr.contains(dir + "/nope.safetensors"))
    }
}

// MARK: - Gradient check

@Suite struct CLIGradcheckTests {
    @Test(arguments: ["rnn", "rnn2"])
    func gradcheckPasses(model: String) throws {
        let r = try sentree(["gradcheck", "--model", model])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.outputLines.last == "PASS")
        let tensors = model == "rnn" ? ["L", "W", "b", "U", "bs"] : ["L", "W", "b", "W2", "b2", "U", "bs"]
        var errors: [String: Double] = [:]
        for line in r.outputLines {
            let fields = line.split(separator: " ").map(String.init)
            guard let name = fields.first else { continue }
            // "name  count   error" per tensor; "overall  error  (threshold 1e-06)".
            if tensors.contains(name), fields.count == 3, Int(fields[1]) != nil {
                errors[name] = Double(fields[2])
            }
            if name == "overall", fields.count > 1 { errors[name] = Double(fields[1]) }
        }
        #expect(Set(errors.keys) == Set(tensors + ["overall"]), "\(r.stdout)")
        for (name, error) in errors {
            #expect(error < 1e-6, "\(name): relative error \(error)")
            #expect(error >= 0)
        }
    }
}

// MARK: - Training, evaluation, resume, prediction

@Suite struct CLITrainingTests {
    @Test func headlessTrainingLogsEveryEpochAndWritesTheRun() throws {
        let shared = try trained()
        let epochLines = shared.output.outputLines.filter { $0.hasPrefix("epoch ") }
        #expect(epochLines.count == 4, "\(shared.output.stdout)")
        for (k, line) in epochLines.enumerated() {
            #expect(line.hasPrefix(String(format: "epoch %3d/4", k + 1)), "\(line)")
            for metric in ["fine all", "fine root", "binary root", "binary all"] {
                #expect(line.contains(metric), "\(line)")
            }
        }
        let records = try MetricsLog.readEpochs(from: shared.run + "/metrics.jsonl")
        #expect(records.map(\.epoch) == [1, 2, 3, 4])
        let lines = try String(contentsOfFile: shared.run + "/metrics.jsonl", encoding: .utf8).split(
            separator: "\n")
        #expect(lines.count == 4)
        for name in ["best.safetensors", "last.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: shared.run + "/" + name))
        }
        let last = try Checkpoint.read(from: shared.run + "/last.safetensors")
        #expect(last.progress.epochsCompleted == 4)
        #expect(last.history == records)
        let entries = try FileManager.default.contentsOfDirectory(atPath: shared.run).sorted()
        #expect(
            entries == ["best.safetensors", "last.safetensors", "metrics.jsonl", "run.json", "sentree.lock"])
    }

    @Test func evalJSONMatchesTheBestLoggedEpochExactly() throws {
        let shared = try trained()
        let r = try sentree([
            "eval", "--checkpoint", shared.run + "/best.safetensors", "--data", shared.data + "/dev.txt",
            "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.outputLines.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(
            Set(object.keys).isSuperset(of: [
                "fine_all", "fine_root", "binary_root", "binary_all",
                "confusion_root", "confusion_all", "trees", "nodes",
            ]))
        #expect(object["trees"] as? Int == 15)
        let records = try MetricsLog.readEpochs(from: shared.run + "/metrics.jsonl")
        // The best epoch is the first with the highest fine root (later ties do not replace it).
        let best = try #require(
            records.reduce(nil as EpochRecord?) { b, r in b.map { r.fineRoot > $0.fineRoot ? r : $0 } ?? r })
        // JSONDecoder, not JSONSerialization: on Linux the latter parses some doubles 1 ulp off.
        struct Scores: Decodable {
            let fine_all, fine_root, binary_root, binary_all: Double
        }
        let scores = try JSONDecoder().decode(Scores.self, from: Data(r.stdout.utf8))
        #expect(scores.fine_root == best.fineRoot)
        #expect(scores.fine_all == best.fineAll)
        #expect(scores.binary_root == best.binaryRoot)
        #expect(scores.binary_all == best.binaryAll)
        #expect(try Checkpoint.read(from: shared.run + "/best.safetensors").progress.bestEpoch == best.epoch)
        let confusion = try #require(object["confusion_root"] as? [[Int]])
        #expect(confusion.count == 5 && confusion.allSatisfy { $0.count == 5 })
        #expect(confusion.joined().reduce(0, +) == 15)
        let all = try #require(object["confusion_all"] as? [[Int]])
        #expect(all.joined().reduce(0, +) == object["nodes"] as? Int)
    }

    @Test func resumeContinuesAndMatchesAnUninterruptedRun() throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let first = try sentree(
            ["train", "--data", shared.data, "--out", run, "--epochs", "2"] + trainOptions)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try MetricsLog.readEpochs(from: run + "/metrics.jsonl").map(\.epoch) == [1, 2])

        let second = try sentree(
            ["train", "--data", shared.data, "--resume", run, "--epochs", "4"] + trainOptions)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("resuming after epoch 2"))
        let epochLines = second.outputLines.filter { $0.hasPrefix("epoch ") }
        #expect(epochLines.count == 2)
        #expect(epochLines.first?.hasPrefix("epoch   3/4") == true, "\(second.stdout)")
        #expect(try MetricsLog.readEpochs(from: run + "/metrics.jsonl").map(\.epoch) == [1, 2, 3, 4])

        let resumed = try Checkpoint.read(from: run + "/last.safetensors")
        let straight = try Checkpoint.read(from: shared.run + "/last.safetensors")
        #expect(resumed.progress.epochsCompleted == 4)
        #expect(resumed.parameters.map(\.bitPattern) == straight.parameters.map(\.bitPattern))
        #expect(resumed.optimizerState.map(\.bitPattern) == straight.optimizerState.map(\.bitPattern))
        #expect(resumed.vocabulary == straight.vocabulary)
        // Same epochs, same dev scores (times differ).
        #expect(resumed.history.map(\.fineAll) == straight.history.map(\.fineAll))
        #expect(resumed.history.map(\.trainLoss) == straight.history.map(\.trainLoss))
    }

    /// Lines of `predict` output that describe a node: indentation, label, class name, probability.
    func nodeLines(_ output: String) -> [(label: Int, probability: Double, line: String)] {
        output.split(separator: "\n").compactMap { line in
            guard
                let m = line.firstMatch(
                    of:
                        /^ *([0-4]) (very negative|negative|neutral|positive|very positive) +([01]\.[0-9][0-9])(?=  )/
                ),
                let label = Int(m.1), let p = Double(m.3)
            else { return nil }
            return (label, p, String(line))
        }
    }

    @Test func predictPrintsOneLinePerNode() throws {
        let shared = try trained()
        let sentence = try sentree(["predict", "--checkpoint", shared.run, "the movie is great ."])
        #expect(sentence.status == 0, "\(sentence.stderr)")
        #expect(sentence.stdout.contains("(structure parsed · F1 "), "\(sentence.stdout)")
        // 5 tokens → 9 nodes.
        let sentenceNodes = nodeLines(sentence.stdout)
        #expect(sentenceNodes.count == 9, "\(sentence.stdout)")
        #expect(sentence.stdout.contains("1 word not in the vocabulary"))  // "."

        let tree = try sentree(["predict", "--checkpoint", shared.run, "(3 (2 the) (3 (2 very) (4 good)))"])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(!tree.stdout.contains("approximate"))
        let treeNodes = nodeLines(tree.stdout)
        #expect(treeNodes.count == 5, "\(tree.stdout)")
        #expect(tree.stdout.contains("gold 4"))
        for node in sentenceNodes + treeNodes {
            #expect(node.probability >= 0.2 && node.probability <= 1, "\(node.line)")
        }
        // The root comes first and spans the whole phrase.
        #expect(treeNodes.first?.line.hasSuffix("the very good") == true, "\(tree.stdout)")
    }

    @Test func predictReportsAMalformedTreeWithLocation() throws {
        let shared = try trained()
        let r = try sentree(["predict", "--checkpoint", shared.run, "--trees", "(3 (2 good) (2 movie)"])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        let line = r.errorLines.first ?? ""
        #expect(line.contains("<argument 1>:1:22: "), "\(line)")
        #expect(line.contains("expected ')'"))
        let three = try sentree([
            "predict", "--checkpoint", shared.run, "--trees",
            "(2 fine)", "((a) (b) (c))",
        ])
        #expect(three.status == 1)
        #expect(three.errorLines.count == 1 && three.stderr.contains("<argument 2>:1:1: "), "\(three.stderr)")
        // The first input is still answered.
        #expect(three.stdout.contains("fine"), "\(three.stdout)")
        // Guessing, an input that starts with '(' but is no tree is read as a sentence.
        let guessed = try sentree(["predict", "--checkpoint", shared.run, "(3 (2 good) (2 movie)"])
        #expect(guessed.status == 0 && guessed.stdout.contains("structure parsed"), "\(guessed.stderr)")
    }
}
