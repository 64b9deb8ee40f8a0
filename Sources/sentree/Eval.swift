import ArgumentParser
import Foundation
import SentreeCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a checkpoint on a labelled treebank (fine all, fine root, binary root, binary all).",
        discussion: """
        fine all: 5-class accuracy over all nodes. fine root: 5-class accuracy over roots. \
        binary root: roots whose gold label is not 2, predicted positive iff P(3)+P(4) > P(0)+P(1). \
        binary all: the same over all nodes whose gold label is not 2. Confusion matrices are \
        gold (rows) × predicted (columns).
        """)

    @Option(help: "Checkpoint file, or a run directory (uses its best, else last).") var checkpoint: String
    @Option(help: "Labelled treebank file, e.g. data/sst/dev.txt or test.txt.") var data: String
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(help: "Worker threads (default: all cores; results do not depend on it).") var threads: Int?
    @Option(help: ArgumentHelp("Vectors file for words training never saw (default: the run's, if it had one).",
                               discussion: "Such words get their pretrained vector instead of <unk>."))
    var embeddings: String?
    @Flag(help: "Read unseen words as <unk> even if the run was trained from a vectors file.") var noEmbeddings = false

    func run() throws {
        try reportingErrors {
            var (ckpt, file) = try loadCheckpoint(checkpoint)
            let treebank = try Treebank.load(contentsOf: data)
            var added: (file: String, words: Int, tokens: Int)? = nil
            if let vectors = vectorsFile(for: ckpt, given: embeddings, disabled: noEmbeddings) {
                let extended = try PretrainedVectors.extend(ckpt, for: treebank, file: vectors)
                ckpt = extended.checkpoint
                added = (vectors, extended.words, extended.tokens)
            }
            let vocabulary = Vocabulary(words: ckpt.vocabulary, lowercase: ckpt.lowercase)
            let encoded = EncodedTreebank(treebank, words: vocabulary.encode(treebank))
            let layout = ParameterLayout(ckpt.model)
            let model = TreeModel<Float>(layout: layout, parameters: ckpt.parameters,
                                         threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                         maxTreeSize: encoded.maxTreeSize)
            let (m, _) = model.evaluate(encoded, parameters: ckpt.parameters)
            if json {
                var object: [String: Any] = [
                    "fine_all": m.fineAll, "fine_root": m.fineRoot,
                    "binary_root": m.binaryRoot, "binary_all": m.binaryAll,
                    "confusion_root": m.confusionRoot, "confusion_all": m.confusionAll,
                    "trees": m.trees, "nodes": m.nodes,
                ]
                if let added { object["pretrained_words_added"] = added.words }
                let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: out, as: UTF8.self))
                return
            }
            let summary = "\(ckpt.model.kind.rawValue) d=\(ckpt.model.dim), "
                + "epoch \(ckpt.progress.epochsCompleted)"
            print("checkpoint \(TerminalText.sanitized(file)) (\(summary))")
            print("data       \(TerminalText.sanitized(data)): \(m.trees) trees, \(m.nodes) nodes")
            if let added {
                print("vectors    \(TerminalText.sanitized(added.file)): \(added.words) words unseen in training "
                      + "(\(added.tokens) tokens) read with their pretrained vector instead of <unk>")
            }
            print("fine all     \(percent(m.fineAll))")
            print("fine root    \(percent(m.fineRoot))")
            print("binary root  \(percent(m.binaryRoot))  (\(m.binaryRootTotal) roots with gold ≠ 2)")
            print("binary all   \(percent(m.binaryAll))  (\(m.binaryAllTotal) nodes with gold ≠ 2)")
            print("mean loss    \(String(format: "%.4f", m.meanLoss)) per node")
            printConfusion("roots", m.confusionRoot)
            printConfusion("all nodes", m.confusionAll)
        }
    }

    func printConfusion(_ title: String, _ matrix: [[Int]]) {
        print("\nconfusion, \(title) (rows gold, columns predicted)")
        print("gold\\pred" + (0 ..< matrix.count).map { String($0).leftPadded(to: 8) }.joined())
        for (g, row) in matrix.enumerated() {
            print("\(g)        " + row.map { String($0).leftPadded(to: 8) }.joined())
        }
    }
}
