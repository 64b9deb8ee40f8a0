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

            Words that training never saw read <unk>, as in the dev evaluation during training, so \
            `eval` of a run's best on its dev set gives the figures of metrics.jsonl's best evaluation. \
            --expand-vocabulary or --unseen-vectors FILE give such words pretrained vectors instead.

            --json prints one object with the keys of a metrics.jsonl epoch row (epoch, train_loss, \
            fine_all, fine_root, binary_root, binary_all, seconds, trees_per_second, learning_rate; \
            seconds and trees_per_second time this evaluation, train_loss is the checkpoint's epoch's; \
            a checkpoint saved at a dev evaluation inside an epoch, --dev-every, has position instead, \
            8.25 a quarter into epoch 9) plus checkpoint, data, trees, nodes, confusion_root, confusion_all and unseen_words.

            Several --checkpoint options make a seed ensemble: every node's class distribution is \
            the mean of the members' (each reads the trees with its own vocabulary; kinds and widths \
            may differ, the number of classes may not), and every metric is computed from it. The \
            text and --json then also give each member's own metrics and seconds (docs/commands.md).
            """)

    @Option(
        help: ArgumentHelp(
            "Checkpoint file, or a run directory (uses its best, else last); repeat for an ensemble.",
            valueName: "checkpoint"))
    var checkpoint: [String]
    @Option(
        help: ArgumentHelp(
            "Labelled treebank file, or a directory (its dev.txt), e.g. data/sst or "
                + "data/sst/test.txt (default: the dev.txt of the run's data directory).",
            valueName: "file-or-dir"))
    var data: String?
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(help: "Worker threads (default: all cores; results do not depend on it).") var threads: Int?
    @OptionGroup var unseen: UnseenWordOptions
    @Flag(
        help: ArgumentHelp(
            "Also score the trees the parser gives each tree's words, and their bracket F1 (docs/commands.md)."
        ))
    var parse = false
    @Flag(help: "Also score the words under the fixed right-branching trees (the baseline of --parse).")
    var rightBranching = false
    @OptionGroup var parserOptions: ParserOptions

    func run() throws {
        try reportingErrors {
            let members = try loadMembers(checkpoint)
            if members.count > 1 { return try runEnsemble(members) }
            var (ckpt, file) = members[0]
            let dataFile = try evaluationFile(data, for: ckpt)
            let task = ckpt.config.sentimentTask
            let treebank = task.prepare(try loadTreebankToScore(dataFile))
            var added: (file: String, words: Int, tokens: Int)? = nil
            if let vectors = try unseen.vectorsFile(for: ckpt) {
                let extended = try PretrainedVectors.extend(ckpt, for: treebank, file: vectors)
                ckpt = extended.checkpoint
                added = (vectors, extended.words, extended.tokens)
            }
            let vocabulary = Vocabulary(words: ckpt.vocabulary, lowercase: ckpt.lowercase)
            let words = vocabulary.encode(treebank)
            let unknown = UnknownWords(treebank, words: words, lowercase: ckpt.lowercase)
            let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
            func score(_ bank: Treebank, words: [Int32]) -> Metrics {
                let encoded = EncodedTreebank(bank, words: words)
                let model = TreeModel<Float>(
                    layout: ParameterLayout(ckpt.model), parameters: ckpt.parameters,
                    threads: cores, maxTreeSize: encoded.maxTreeSize)
                return model.evaluate(encoded, parameters: ckpt.parameters).metrics
            }
            let started = Date()
            let m = score(treebank, words: words)
            let seconds = Date().timeIntervalSince(started)
            var restructured: [(name: String, reparsed: Reparsed, metrics: Metrics)] = []
            if parse {
                let sentences = try ParserSource.sentences(
                    explicit: parserOptions.parser, dataDirectory: ckpt.config.dataDirectory,
                    pool: WorkerPool(size: cores))
                let reparsed = sentences.reparse(treebank)
                let metrics = score(reparsed.treebank, words: vocabulary.encode(reparsed.treebank))
                restructured.append(
                    (reparsed.structure == .approximate ? "right_branching" : "parsed", reparsed, metrics))
            }
            if rightBranching && !restructured.contains(where: { $0.name == "right_branching" }) {
                let reparsed = ParsedSentences(parser: nil).reparse(treebank)
                restructured.append(
                    (
                        "right_branching", reparsed,
                        score(reparsed.treebank, words: vocabulary.encode(reparsed.treebank))
                    ))
            }
            let epoch = ckpt.progress.epochsCompleted
            if json {
                // The keys of a metrics.jsonl epoch row first, so scripts read both alike.
                var object: [String: Any] = [
                    "epoch": epoch, "fine_all": m.fineAll, "fine_root": m.fineRoot,
                    "binary_root": m.binaryRoot, "binary_all": m.binaryAll,
                    "seconds": seconds, "trees_per_second": Double(m.trees) / max(seconds, 1e-9),
                    "learning_rate": ckpt.progress.learningRate,
                    "checkpoint": file, "data": dataFile,
                    "confusion_root": m.confusionRoot, "confusion_all": m.confusionAll,
                    "trees": m.trees, "nodes": m.nodes, "task": task.rawValue,
                    "unseen_words": [
                        "words": unknown.words.count, "tokens": unknown.tokens,
                        "read_as": Vocabulary.unknownToken,
                    ],
                ]
                if let inner = ckpt.progress.savedEvaluation(in: runEvaluations(ckpt, file: file)) {
                    // Saved at an evaluation inside an epoch: no epoch's loss is its own.
                    object["position"] = inner.position
                } else if let row = ckpt.history.last(where: { $0.epoch == epoch }) {
                    object["train_loss"] = row.trainLoss
                }
                if let added {
                    object["unseen_vectors"] = [
                        "file": added.file, "words": added.words,
                        "tokens": added.tokens,
                    ]
                }
                for (name, reparsed, metrics) in restructured {
                    var entry: [String: Any] = [
                        "fine_all": metrics.fineAll, "fine_root": metrics.fineRoot,
                        "binary_root": metrics.binaryRoot, "binary_all": metrics.binaryAll,
                        "nodes_scored": metrics.nodes, "bracket_f1": reparsed.brackets.f1,
                        "bracket_precision": reparsed.brackets.precision,
                        "bracket_recall": reparsed.brackets.recall,
                    ]
                    if case .parsed(let f1?) = reparsed.structure { entry["parser_dev_f1"] = f1 }
                    object[name] = entry
                }
                let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: out, as: UTF8.self))
                return
            }
            print("checkpoint \(TerminalText.sanitized(file)) (\(checkpointSummary(ckpt, file: file)))")
            print("data       \(TerminalText.sanitized(dataFile)): \(m.trees) trees, \(m.nodes) nodes")
            if let added {
                print(
                    "vectors    \(TerminalText.sanitized(added.file)): \(counted(added.words, "word")) "
                        + "unseen in training (\(counted(added.tokens, "token"))) read with their pretrained "
                        + "vector instead of <unk>; these scores differ from the training-time dev evaluation"
                )
            }
            if unknown.tokens > 0 {
                let tokens = counted(unknown.tokens, "token")
                print(
                    "unseen     \(counted(unknown.words.count, "word")) (\(tokens)) not in the vocabulary, "
                        + "read as <unk>")
            }
            accuracyLines(m, task: task).forEach { print($0) }
            print("mean loss    \(String(format: "%.4f", m.meanLoss)) per node")
            for (name, reparsed, metrics) in restructured {
                printRestructured(name, reparsed, metrics, gold: m)
            }
            printConfusion("roots", m.confusionRoot, task: task)
            printConfusion("all nodes", m.confusionAll, task: task)
        }
    }

    /// The scores on re-bracketed trees beside those on the gold trees.
    func printRestructured(_ name: String, _ reparsed: Reparsed, _ metrics: Metrics, gold m: Metrics) {
        let b = reparsed.brackets
        let what =
            name == "parsed"
            ? "parsed trees (\(reparsed.structure.note ?? "parsed") on dev)" : "right-branching trees"
        print(
            "\n\(what): bracket F1 \(String(format: "%.2f", b.f1)) against the gold trees "
                + "(P \(String(format: "%.2f", b.precision)), R \(String(format: "%.2f", b.recall)))")
        func row(_ title: String, _ value: Double, _ gold: Double, _ suffix: String = "") {
            let delta = String(format: "%+.2f", 100 * (value - gold))
            print("\(title)\(percent(value))  (\(delta) points vs gold trees)\(suffix)")
        }
        row("fine all     ", metrics.fineAll, m.fineAll, "  over \(metrics.nodes) nodes that are gold nodes")
        row("fine root    ", metrics.fineRoot, m.fineRoot)
        row("binary root  ", metrics.binaryRoot, m.binaryRoot)
        row("binary all   ", metrics.binaryAll, m.binaryAll)
    }

    func printConfusion(_ title: String, _ matrix: [[Int]], task: SentimentTask) {
        print("\nconfusion, \(title) (rows gold, columns predicted)")
        if let legend = confusionLegend(task) { print("classes: \(legend)") }
        print("gold\\pred" + (0 ..< matrix.count).map { String($0).leftPadded(to: 8) }.joined())
        for (g, row) in matrix.enumerated() {
            print("\(g)        " + row.map { String($0).leftPadded(to: 8) }.joined())
        }
    }
}

/// The treebank file `eval` scores: `given` (a file, or a directory's dev.txt), else the dev
/// set of the data directory the run was trained on.
func evaluationFile(_ given: String?, for checkpoint: Checkpoint) throws -> String {
    var isDirectory: ObjCBool = false
    if let given {
        // A missing file is reported by the reader, as FILE:0:0 like every input problem.
        guard FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return given }
        let dev = (given.hasSuffix("/") ? given : given + "/") + "dev.txt"
        guard FileManager.default.fileExists(atPath: dev) else {
            throw CLIError("--data \(given) is a directory without dev.txt; give a treebank file")
        }
        return dev
    }
    guard let directory = checkpoint.config.dataDirectory else {
        throw CLIError("the checkpoint does not record its data directory; give --data FILE-OR-DIR")
    }
    let dev = directory + "/dev.txt"
    guard FileManager.default.fileExists(atPath: dev) else {
        throw CLIError("the run's dev set \(dev) is gone (moved?); give --data FILE-OR-DIR")
    }
    return dev
}

/// The leaves of a treebank that read `<unk>`: their words (in order of first use) and count.
struct UnknownWords {
    var words: [String] = []
    var tokens = 0

    init(_ treebank: Treebank, words ids: [Int32], lowercase: Bool, nodes: Range<Int>? = nil) {
        var seen: Set<String> = []
        for g in nodes ?? 0 ..< treebank.nodeCount where treebank.left[g] < 0 && ids[g] == 0 {
            tokens += 1
            let token = treebank.tokens[Int(treebank.leafToken[g])]
            let word = lowercase ? token.lowercased() : token
            if seen.insert(word).inserted { words.append(word) }
        }
    }
}

/// `n` and `noun`, plural unless `n` is 1.
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
