import ArgumentParser
import Foundation
import SentreeCore

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a checkpoint's prediction at every node of trees or sentences.",
        discussion: """
        Each input (an argument, or a line of standard input) is either a PTB tree such as \
        `(3 (2 not) (3 bad))` (labels optional: `((not) (bad))`), or a plain sentence. A plain \
        sentence is tokenized PTB-style and binarized by a fixed rule (final punctuation at the \
        top, the rest right-branching) — not a real parse, so its inner nodes are marked \
        approximate. Output: the tree, one node per line, with the predicted label, its \
        probability, the gold label if given, and the phrase.

        Words that training never saw read <unk>, as in `eval` and the training-time dev \
        evaluation. With --expand-vocabulary (the run's vectors file) or --unseen-vectors FILE, \
        those the file has are read with their pretrained vector instead; standard error says \
        how many. The file is read once per argument list or per chunk of standard input (a \
        line typed at a terminal is answered at once).
        """)

    @Option(help: "Checkpoint file, or a run directory (uses its best, else last).") var checkpoint: String
    @Argument(help: "Trees or sentences (default: read lines from standard input).") var inputs: [String] = []
    @OptionGroup var unseen: UnseenWordOptions

    func run() throws {
        try reportingErrors {
            let (ckpt, _) = try loadCheckpoint(checkpoint)
            let model = PredictionModel(ckpt, vectorsFile: try unseen.vectorsFile(for: ckpt))
            // Inputs parsed but not yet printed: they share one pass over the vectors file.
            var pending: [(treebank: Treebank, isTree: Bool)] = []
            var first = true
            func flush() throws {
                try model.cover(pending.map(\.treebank))
                for (treebank, isTree) in pending {
                    let words = model.vocabulary.encode(treebank)
                    model.countPretrained(words)
                    for t in 0 ..< treebank.count {
                        if !first { print() }
                        first = false
                        printTree(t, of: treebank, words: words, snapshot: model.snapshot,
                                  approximate: !isTree, lowercase: model.vocabulary.lowercase)
                    }
                }
                pending.removeAll()
            }
            func take(_ raw: String, source: String) throws {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty { return }
                let isTree = line.hasPrefix("(")
                do {
                    pending.append((isTree ? try Treebank.parse(line, source: source, requireLabels: false)
                                           : try Treebank.fromSentences([line], source: source), isTree))
                } catch {
                    try flush()  // the inputs before a malformed one are still answered
                    throw error
                }
            }
            if inputs.isEmpty {
                try forEachStandardInputLine({ try take($0, source: "<stdin line \($1)>") }, afterChunk: flush)
            } else {
                for (k, input) in inputs.enumerated() { try take(input, source: "<argument \(k + 1)>") }
            }
            try flush()
            fflush(nil)
            if let summary = model.summary { printError(summary) }
        }
    }

    func printTree(_ t: Int, of treebank: Treebank, words: [Int32], snapshot: ModelSnapshot,
                   approximate: Bool, lowercase: Bool) {
        let prediction = snapshot.predict(tree: t, in: treebank, wordIDs: words)
        let r = treebank.nodes(of: t)
        let unknown = UnknownWords(treebank, words: words, lowercase: lowercase, nodes: r).words
        if approximate { print("(structure approximate: sentence binarized without a parser)") }
        if !unknown.isEmpty {
            print("(\(counted(unknown.count, "word")) not in the vocabulary, read as <unk>: "
                  + TerminalText.sanitized(unknown.joined(separator: ", ")) + ")")
        }
        // Depth-first from the root without recursion (user input may be deep).
        var stack: [(node: Int, depth: Int)] = [(r.count - 1, 0)]
        while let (i, depth) = stack.popLast() {
            let g = r.lowerBound + i
            let p = prediction.probabilities[i]
            let label = Int(prediction.predicted[i])
            let gold = treebank.labels[g]
            var text = String(repeating: "  ", count: depth)
            text += "\(label) \(classNames[label].padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(format: "%.2f", p[label]))"
            if gold != Treebank.unlabeled {
                text += gold == label ? "  gold \(gold)  " : "  gold \(gold) ✗"
            }
            text += "  " + TerminalText.sanitized(treebank.phrase(tree: t, node: i))
            print(text)
            if treebank.left[g] >= 0 {
                stack.append((Int(treebank.right[g]), depth + 1))
                stack.append((Int(treebank.left[g]), depth + 1))
            }
        }
    }
}

/// Calls `body` with each line of standard input and its 1-based number as soon as it is read,
/// and `afterChunk` after the lines of each `read` (a line typed at a terminal is one chunk).
///
/// Memory holds one chunk (64 KiB) and one line, at most `InputText.maximumLineBytes`, not
/// the whole input. As with `readLine`, a CR before the LF is dropped and invalid UTF-8
/// becomes U+FFFD.
private func forEachStandardInputLine(_ body: (String, Int) throws -> Void,
                                      afterChunk: () throws -> Void) throws {
    var splitter = LineSplitter()
    var number = 0  // not splitter.lineCount: the splitter is being mutated while this runs
    func handle(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        number += 1
        let line = bytes.last == UInt8(ascii: "\r") ? UnsafeBufferPointer(rebasing: bytes.dropLast()) : bytes
        try body(String(decoding: line, as: UTF8.self), number)
    }
    func overlong(_ number: Int, _ message: String) -> any Error {
        InputError(source: "<stdin line \(number)>", line: 1, column: 1, message: message)
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            throw CLIError("cannot read standard input: \(errnoText())")
        }
        try buffer.withUnsafeBufferPointer { all in
            try splitter.consume(UnsafeBufferPointer(rebasing: all[..<count]), overlong: overlong, handle)
        }
        try afterChunk()
    }
    try splitter.finish(handle)
}
