import Foundation
import Testing
@testable import SentreeCore

@Suite struct ProbesTests {
    func temporaryRun() throws -> String {
        let dir = NSTemporaryDirectory() + "sentree-probes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func sentencesAndTreesParseAsPredictDoes() throws {
        let sentence = try Probe(parsing: "  not bad at all .", source: "x")
        #expect(sentence.text == "not bad at all .")
        #expect(sentence.approximate)
        #expect(sentence.treebank.count == 1 && sentence.treebank.nodeCount == 9)
        #expect(sentence.treebank.sentence(tree: 0) == "not bad at all .")
        let tree = try Probe(parsing: "(3 (2 not) (3 bad))", source: "x")
        #expect(!tree.approximate)
        #expect(tree.treebank.labels == [2, 3, 3])
        let vocabulary = Vocabulary(words: ["<unk>", "bad"], lowercase: true)
        #expect(tree.wordIDs(vocabulary) == [0, 1, -1])
        #expect(tree.structure == .given)
    }

    /// A sentence that opens with a bracket is no tree, so it is read as text, as `predict`
    /// reads it; text that is neither gets the tree's error.
    @Test func aSentenceOpeningWithABracketIsASentence() throws {
        let probe = try Probe(parsing: "(Honestly) the plot is thin .", source: "x")
        #expect(probe.approximate && probe.treebank.count == 1)
        #expect(probe.treebank.sentence(tree: 0) == "( Honestly ) the plot is thin .")
        let two = try Probe(parsing: "(good) (bad)", source: "x")
        #expect(two.treebank.sentence(tree: 0) == "( good ) ( bad )")
        #expect(
            throws: InputError(
                source: "p", line: 1, column: 8, message: "control character U+0007 is not allowed in a word")
        ) {
            try Probe(parsing: "(3 (2 a\u{7}) (3 b))", source: "p")
        }
    }

    @Test func badProbesNameTheirColumn() throws {
        #expect(
            throws: InputError(
                source: "p", line: 1, column: 1, message: "empty probe: type a sentence or a tree")
        ) {
            try Probe(parsing: "   ", source: "p")
        }
        // The InputText rules: a control character is an error at its own column.
        #expect(throws: InputError.self) { try Probe(parsing: "not \u{1B}[31mbad", source: "p") }
        // A truncated tree is text too, as `predict` reads it when it guesses.
        #expect(try Probe(parsing: "(3 (2 not) (3 bad)", source: "p").approximate)
    }

    @Test func fileRoundTripsAndIsReplacedAtomically() throws {
        let run = try temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        #expect(Probes.load(runDirectory: run).probes.isEmpty)
        let probes = try ["not bad", "(3 (2 not) (3 bad))", "a triumph !"].map {
            try Probe(parsing: $0, source: "t")
        }
        try Probes.save(probes, runDirectory: run)
        let text = try String(contentsOfFile: run + "/probes.txt", encoding: .utf8)
        #expect(text == "not bad\n(3 (2 not) (3 bad))\na triumph !\n")
        let loaded = Probes.load(runDirectory: run)
        #expect(loaded.probes == probes && loaded.problems.isEmpty)
        try Probes.save(Array(probes.prefix(1)), runDirectory: run)
        #expect(Probes.load(runDirectory: run).probes.map(\.text) == ["not bad"])
        // Nothing but the file itself is left in the run directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: run) == ["probes.txt"])
    }

    /// Bad lines are skipped with `file:line:column`; the good ones still load.
    @Test func badLinesAreSkippedWithTheirPosition() {
        let text =
            "# watched sentences\nnot bad\n\n  (3 (2 not) (3 b\u{7}ad)\nfine \u{7}again\n(good) (bad)\nnot bad\r\nsuperb\n"
        let loaded = Probes.parse(text, source: "runs/r/probes.txt")
        #expect(loaded.probes.map(\.text) == ["not bad", "(good) (bad)", "superb"])
        #expect(loaded.problems.count == 2, "\(loaded.problems)")
        #expect(
            loaded.problems[0]
                == "runs/r/probes.txt:4:18: control character U+0007 is not allowed in a word (line skipped)",
            "\(loaded.problems[0])")
        #expect(loaded.problems[1].hasPrefix("runs/r/probes.txt:5:6: "), "\(loaded.problems[1])")
        // Escape sequences in a message are shown escaped, never raw.
        let hostile = Probes.parse("bad \u{1B}]0;pwned\u{7}\n", source: "p")
        #expect(hostile.probes.isEmpty && !hostile.problems[0].contains("\u{1B}"))
    }

    @Test func unreadableFileIsAProblemNotACrash() throws {
        let run = try temporaryRun()
        defer { try? FileManager.default.removeItem(atPath: run) }
        try FileManager.default.createDirectory(
            atPath: run + "/probes.txt", withIntermediateDirectories: false)
        let loaded = Probes.load(runDirectory: run)
        #expect(loaded.probes.isEmpty && loaded.problems.count == 1)
        #expect(throws: (any Error).self) { try Probes.save([], runDirectory: run) }
    }
}
