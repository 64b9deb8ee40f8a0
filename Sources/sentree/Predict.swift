import ArgumentParser
import Foundation
import SentreeCore

/// How `predict` reads its inputs.
enum InputMode: String, EnumerableFlag {
    case text, trees

    static func help(for value: InputMode) -> ArgumentHelp? {
        switch value {
        case .text: "Read every input as a plain sentence, even one starting with '('."
        case .trees: "Read every input as a PTB tree; one that does not parse is an error."
        }
    }
}

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a checkpoint's prediction at every node of trees or sentences.",
        discussion: """
            Each input (an argument, a line of --input FILE, or a line of standard input) is either \
            a PTB tree such as `(3 (2 not) (3 bad))` (labels optional: `((not) (bad))`), or a plain \
            sentence. Without --text or --trees, an input starting with '(' is read as a tree, and \
            as a sentence if it does not parse as one. A plain sentence is tokenized as SST is and \
            bracketed by the span parser (--parser FILE, else the one cached for the run's data \
            directory, trained on first use: docs/commands.md), marked "parsed" with the parser's \
            dev bracket F1; without any training trees it gets a fixed right-branching tree marked \
            approximate. Output: the tree, one node per \
            line, with the predicted label, its probability, the gold label if given, and the phrase; \
            --root-only prints one line per input, --json one JSON object per input.

            A bad input is reported on standard error with its line and column and the others are \
            still answered; the exit status is then 1. An empty input is an error.

            --threads N spreads the work of tokenizing, parsing, predicting and formatting over N \
            threads (default: all cores); the output is the same for any N.

            Words that training never saw read <unk>, as in `eval` and the training-time dev \
            evaluation. With --expand-vocabulary (the run's vectors file) or --unseen-vectors FILE, \
            those the file has are read with their pretrained vector instead; standard error says \
            how many. The file is read once per argument list or per chunk of standard input (a \
            line typed at a terminal is answered at once).

            Several --checkpoint options make a seed ensemble: each node's distribution is the mean \
            of the members' (each reads the words with its own vocabulary), its class their argmax. \
            A tree's text then starts with "(ensemble of N checkpoints …)", --json objects have \
            "ensemble": N, and --root-only says so once on standard error. The unknown words listed \
            are those any member reads as <unk>.
            """)

    @Option(
        help: ArgumentHelp(
            "Checkpoint file, or a run directory (uses its best, else last); repeat for an ensemble.",
            valueName: "checkpoint"))
    var checkpoint: [String]
    @Argument(help: "Trees or sentences (default: lines of --input, else of standard input).")
    var inputs: [String] = []
    @Option(help: ArgumentHelp("Read inputs from this file, one per line.", valueName: "file"))
    var input: String?
    @Flag var mode: InputMode?
    @Flag(
        help: ArgumentHelp(
            "One JSON object per input: tokens, tree, root and every phrase with class "
                + "and probabilities, unknown words."))
    var json = false
    @Flag(help: "One line per input: the root's class, its probability and the sentence.")
    var rootOnly = false
    @OptionGroup var unseen: UnseenWordOptions
    @OptionGroup var parserOptions: ParserOptions
    @Flag(
        help: ArgumentHelp(
            "At the end, print on standard error the inputs per second and the share of parsing "
                + "(the benchmark of docs/commands.md)."))
    var timing = false
    @OptionGroup var threads: ThreadOptions

    func validate() throws {
        if json && rootOnly {
            throw ValidationError("--json and --root-only contradict each other; give one")
        }
        if input != nil && !inputs.isEmpty {
            throw ValidationError("give inputs as arguments or with --input FILE, not both")
        }
    }

    func run() throws {
        let failed = try reportingErrors { try predictAll() }
        if failed { throw ExitCode(1) }
    }

    /// Answers every input; returns whether any of them failed.
    func predictAll() throws -> Bool {
        let started = ContinuousClock.now
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let pool = WorkerPool(size: min(threads.threads ?? cores, cores))
        let loaded = try loadMembers(checkpoint)
        let ckpt = loaded[0].checkpoint
        let models = try loaded.map {
            PredictionModel(
                $0.checkpoint, vectorsFile: try unseen.vectorsFile(for: $0.checkpoint), threads: pool.size)
        }
        var loading = ContinuousClock.now - started
        if models.count > 1 && rootOnly {
            printError("ensemble of \(models.count) checkpoints: class distributions averaged")
        }
        // Found (or trained) when the first plain sentence needs it, not for trees alone.
        var parsing: ParsedSentences? = nil
        let answerer = ChunkAnswerer(
            reader: LineReader(mode: mode, inputFile: input),
            format: AnswerFormat(json: json, rootOnly: rootOnly),
            models: models, pool: pool
        ) {
            if let parsing { return parsing }
            let start = ContinuousClock.now
            let found = try ParserSource.sentences(
                explicit: parserOptions.parser, dataDirectory: ckpt.config.dataDirectory, pool: pool)
            loading += ContinuousClock.now - start
            parsing = found
            return found
        }
        func take(_ text: String, source: String, skipEmpty: Bool) throws {
            try answerer.take(PendingInput(text: text, source: source, skipEmpty: skipEmpty))
        }
        if !inputs.isEmpty {
            for (k, input) in inputs.enumerated() {
                try take(input, source: "<argument \(k + 1)>", skipEmpty: false)
            }
        } else if let input {
            let fd = open(input, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CLIError("--input \(input): cannot open: \(errnoText())") }
            defer { close(fd) }
            // A FIFO is fine (`--input <(…)` streams); a directory would fail at its first
            // read as "cannot read DIR:1: Is a directory", blaming a line.
            var info = stat()
            if fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
                throw CLIError(
                    TerminalText.sanitized("--input \(input): is a directory, not a file of inputs"))
            }
            try answeringFirst(answerer) {
                try forEachLine(
                    of: fd, name: { "\(input):\($0)" }, prompt: false,
                    {
                        try take($0, source: "\(input):\($1)", skipEmpty: true)
                    }, whenIdle: answerer.answerPending)
            }
        } else {
            let interactive = isatty(STDIN_FILENO) == 1
            if interactive {
                printError("Type a sentence or a PTB tree and press Enter; Ctrl-D ends.")
            }
            try answeringFirst(answerer) {
                try forEachLine(
                    of: STDIN_FILENO, name: { "<stdin line \($0)>" }, prompt: interactive,
                    {
                        try take($0, source: "<stdin line \($1)>", skipEmpty: true)
                    }, whenIdle: answerer.answerPending)
            }
        }
        try answerer.answerPending()
        for summary in models.compactMap(\.summary) { printError(summary) }
        if timing {
            printError(
                answerer.timing.report(
                    total: ContinuousClock.now - started, loading: loading, threads: pool.size,
                    parsed: parsing?.parser != nil))
        }
        return answerer.failed
    }

    /// Runs `body`; if it throws (a line too long to hold, a failed read), the lines read
    /// before are answered first, so the error comes after them as a bad line's would.
    private func answeringFirst(_ answerer: ChunkAnswerer, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            try answerer.answerPending()
            throw error
        }
    }

    /// One input: a tree, or a plain sentence's tokens (parsed later, with the others of its batch).
    enum Input: Sendable {
        case tree(Treebank)
        case sentence([String])
    }
}

/// How `predict` reads one input, on any thread.
struct LineReader: Sendable {
    let mode: InputMode?
    /// The --input file, whose lines' errors say FILE:LINE:COLUMN.
    let inputFile: String?

    /// The line as an input, or the reason it is none.
    func read(_ pending: PendingInput) -> ReadInput {
        let line = pending.text.trimmingCharacters(in: .whitespaces)
        if line.isEmpty && pending.skipEmpty { return .skipped }
        do {
            return .input(try read(line, source: pending.source))
        } catch let error as InputError {
            return .failed(error)
        } catch {
            return .stopped(error)
        }
    }

    /// One input as a tree or a plain sentence's tokens.
    ///
    /// Errors of a file's line name the file and that line; others name the input.
    func read(_ line: String, source: String) throws -> Predict.Input {
        // `source` is "FILE:N" for a line of --input: locate errors as FILE:N:COLUMN.
        let (name, lineNumber) = splitSource(source)
        func located(_ error: InputError) -> InputError {
            guard let lineNumber, error.line == 1 else { return error }
            return InputError(source: name, line: lineNumber, column: error.column, message: error.message)
        }
        do {
            if line.isEmpty {
                throw InputError(
                    source: name, line: 1, column: 1,
                    message: "empty input: give a sentence or a PTB tree")
            }
            let tree = { Predict.Input.tree(try Treebank.parse(line, source: name, requireLabels: false)) }
            if mode == .trees { return try tree() }
            if mode == .text || !line.hasPrefix("(") { return try sentence(line, source: name) }
            // Guessing: "(" may start a sentence ("(sic) a fine film").
            return try treeOrSentence(tree: tree, sentence: { try sentence(line, source: name) })
        } catch let error as InputError {
            throw located(error)
        }
    }

    /// A plain sentence's tokens, under the treebank's input rules; no tokens is an error.
    private func sentence(_ line: String, source: String) throws -> Predict.Input {
        let tokens = try SentenceInput.tokens(of: line, line: 1, source: source)
        guard !tokens.isEmpty else {
            throw InputError(source: source, line: 1, column: 1, message: "no words in the input")
        }
        return .sentence(tokens)
    }

    private func splitSource(_ source: String) -> (String, Int?) {
        guard let inputFile, source.hasPrefix(inputFile + ":"),
            let n = Int(source.dropFirst(inputFile.count + 1))
        else {
            return (source, nil)
        }
        return (inputFile, n)
    }
}

/// A checkpoint's prediction for one tree, printed as text or JSON.
struct Answer {
    let treebank: Treebank
    let t: Int
    let nodes: Range<Int>
    let prediction: TreePrediction
    let structure: TreeStructure
    let unknown: [String]
    /// Checkpoints whose distributions were averaged (1: a single model).
    let ensemble: Int
    /// The members' task (an ensemble's members have the same classes, so the same task).
    let task: SentimentTask

    /// `models[k]` reads the tree's leaves as `words[k]`; their distributions are averaged.
    /// `member`: the worker thread predicting (see `ModelSnapshot.predict`).
    init(
        tree t: Int, of treebank: Treebank, words: [[Int32]], models: [PredictionView],
        structure: TreeStructure, member: Int = 0
    ) {
        self.treebank = treebank
        self.t = t
        let nodes = treebank.nodes(of: t)
        self.nodes = nodes
        prediction = Ensemble.average(
            zip(models, words).map {
                $0.snapshot.predict(tree: t, in: treebank, wordIDs: $1, member: member)
            })
        self.structure = structure
        var seen: Set<String> = []
        unknown = zip(models, words).flatMap {
            UnknownWords(treebank, words: $1, lowercase: $0.vocabulary.lowercase, nodes: nodes).words
        }.filter { seen.insert($0).inserted }
        ensemble = models.count
        task = models[0].task
    }

    /// The root's index within the tree (nodes are stored children first).
    var root: Int { nodes.count - 1 }

    func children(_ i: Int) -> (Int, Int)? {
        let g = nodes.lowerBound + i
        return treebank.left[g] < 0 ? nil : (Int(treebank.left[g]), Int(treebank.right[g]))
    }

    /// Levels indented; deeper nodes say their depth instead. With `phraseWords`, this keeps
    /// the text output linear in the sentence: a 9,999-word sentence binarized into a chain
    /// printed 450 MB when each node was indented by its depth and repeated its phrase.
    static let maximumIndent = 40
    /// Words of a node's phrase shown in full; a longer one shows its first and last 16.
    static let phraseWords = 40

    /// The first token of the tree and each node's token range (children come first).
    func tokenSpans() -> (first: Int, spans: [Range<Int>]) {
        let base = nodes.lowerBound
        let first = Int(treebank.leafToken[base ..< nodes.upperBound].first { $0 >= 0 } ?? 0)
        var spans: [Range<Int>] = []
        spans.reserveCapacity(nodes.count)
        for i in 0 ..< nodes.count {
            if let (l, r) = children(i) {
                spans.append(spans[l].lowerBound ..< spans[r].upperBound)
            } else {
                let k = Int(treebank.leafToken[base + i]) - first
                spans.append(k ..< k + 1)
            }
        }
        return (first, spans)
    }

    /// The words of `span` as the text output shows them: in full up to `phraseWords`.
    func shownPhrase(_ span: Range<Int>, first: Int) -> String {
        func words(_ r: Range<Int>) -> String {
            treebank.tokens[first + r.lowerBound ..< first + r.upperBound].lazy
                .map(Treebank.displayText(ofToken:)).joined(separator: " ")
        }
        guard span.count > Self.phraseWords else { return words(span) }
        let end = span.upperBound
        return words(span.lowerBound ..< span.lowerBound + 16) + " … " + words(end - 16 ..< end)
            + "  (\(span.count) words)"
    }

    func nodeLine(_ i: Int, depth: Int, phrase: String) -> String {
        let shown = PredictedLabel(
            prediction.probabilities[i], argmax: Int(prediction.predicted[i]), task: task)
        let gold = treebank.labels[nodes.lowerBound + i]
        var text = String(repeating: "  ", count: min(depth, Self.maximumIndent))
        if depth > Self.maximumIndent { text += "(depth \(depth)) " }
        // A binary model's class numbers (0 and 2 of 3) would read as SST's: it shows names only.
        text +=
            (task == .fine ? "\(shown.label) " : "")
            + "\(shown.name.padding(toLength: 13, withPad: " ", startingAt: 0)) "
            + String(format: "%.2f", shown.probability)
        text += shown.goldMark(gold, task: task)
        return text + "  " + TerminalText.sanitized(phrase)
    }

    /// The text output: notes on the structure and unknown words, then one line per node,
    /// depth-first from the root; every line ends in a newline.
    func treeText() -> String {
        var out = ""
        func line(_ text: String) {
            out += text
            out += "\n"
        }
        if ensemble > 1 { line("(ensemble of \(ensemble) checkpoints: class distributions averaged)") }
        if task != .fine { line("(\(task.description): negative or positive by P(positive) > P(negative))") }
        switch structure {
        case .given: break
        case .parsed: line("(structure \(structure.note ?? ""): tree from the parser, labels predicted)")
        case .approximate: line("(structure approximate: sentence binarized without a parser)")
        }
        if !unknown.isEmpty {
            line(
                "(\(counted(unknown.count, "word")) not in the vocabulary, read as <unk>: "
                    + TerminalText.sanitized(unknown.joined(separator: ", ")) + ")")
        }
        // Depth-first from the root without recursion (user input may be deep).
        let (first, spans) = tokenSpans()
        var stack: [(node: Int, depth: Int)] = [(root, 0)]
        while let (i, depth) = stack.popLast() {
            line(nodeLine(i, depth: depth, phrase: shownPhrase(spans[i], first: first)))
            if let (l, r) = children(i) {
                stack.append((r, depth + 1))
                stack.append((l, depth + 1))
            }
        }
        return out
    }

    /// Longest sentence, in tokens, whose phrases each carry their `text` in JSON: beyond it
    /// every phrase repeating its words made the output quadratic (a 9,999-token sentence
    /// printed 450 MB); `start` and `end` index `tokens`, and the root keeps its text.
    static let phraseTextTokens = 200

    /// One line of JSON: the tokens, the tree with predicted labels, the root, every phrase
    /// (root first, then depth-first, left before right) and the words read as `<unk>`.
    /// Its length is linear in the sentence's (see `phraseTextTokens`).
    func json() throws -> String {
        let base = nodes.lowerBound
        let (firstToken, ranges) = tokenSpans()
        let span = ranges.map { ($0.lowerBound, $0.upperBound) }
        let phraseTexts = span[root].1 <= Self.phraseTextTokens
        func rounded(_ p: [Float]) -> [Double] { p.map { (Double($0) * 1e6).rounded() / 1e6 } }
        func node(_ i: Int) -> [String: Any] {
            let label = Int(prediction.predicted[i])
            var object: [String: Any] = [
                "class": label, "name": task.classNames[label],
                "probabilities": rounded(prediction.probabilities[i]),
                "start": span[i].0, "end": span[i].1,
            ]
            if task == .binary {
                let shown = PredictedLabel(prediction.probabilities[i], argmax: label, task: task)
                object["binary"] = shown.name
                object["binary_probability"] = rounded([shown.probability])[0]
            }
            if phraseTexts || i == root { object["text"] = treebank.phrase(tree: t, node: i) }
            let gold = treebank.labels[base + i]
            if gold != Treebank.unlabeled { object["gold"] = Int(gold) }
            return object
        }
        var phrases: [[String: Any]] = []
        var stack = [root]
        while let i = stack.popLast() {
            phrases.append(node(i))
            if let (l, r) = children(i) { stack += [r, l] }
        }
        let tokens = Array(treebank.tokens[firstToken ..< firstToken + span[root].1])
        var object: [String: Any] = [
            "tokens": tokens, "tree": bracketed(),
            "approximate": structure == .approximate,
            "structure": structure.kind,
            "root": node(root), "phrases": phrases, "unknown_words": unknown,
        ]
        if case .parsed(let f1?) = structure { object["parser_dev_f1"] = f1 }
        if ensemble > 1 { object["ensemble"] = ensemble }
        object["task"] = task.rawValue
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

extension Answer {
    /// The tree with its predicted labels in brackets, `(1 (1 not) (0 bad))`, written once
    /// from the root: a string per node, each copying its children's, was quadratic in depth.
    func bracketed() -> String {
        enum Item {
            case node(Int)
            case text(String)
        }
        var out = ""
        var stack = [Item.node(root)]
        while let item = stack.popLast() {
            switch item {
            case .text(let s):
                out += s
            case .node(let i):
                out += "(\(prediction.predicted[i]) "
                if let (l, r) = children(i) {
                    stack += [.text(")"), .node(r), .text(" "), .node(l)]
                } else {
                    out += treebank.tokens[Int(treebank.leafToken[nodes.lowerBound + i])] + ")"
                }
            }
        }
        return out
    }
}

extension TreeStructure {
    /// `given`, `parsed` or `approximate`, as JSON output names it.
    var kind: String {
        switch self {
        case .given: "given"
        case .parsed: "parsed"
        case .approximate: "approximate"
        }
    }
}

/// Calls `body` with each line of `fd` and its 1-based number as soon as it is read, and
/// `whenIdle` after a `read` when no more input is ready at once (a line typed at a terminal,
/// or the last one a pipe holds for now), so the lines so far can be answered without
/// waiting; with `prompt`, after every `read`.
///
/// Memory holds one chunk (64 KiB) and one line, at most `InputText.maximumLineBytes`, besides
/// what `body` keeps. As with `readLine`, a CR before the LF is dropped and invalid UTF-8
/// becomes U+FFFD. With `prompt`, "> " goes to standard error before each read.
func forEachLine(
    of fd: Int32, name: @escaping (Int) -> String, prompt: Bool,
    _ body: (String, Int) throws -> Void, whenIdle: () throws -> Void
) throws {
    var splitter = LineSplitter()
    var number = 0  // not splitter.lineCount: the splitter is being mutated while this runs
    func handle(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        number += 1
        let line = bytes.last == UInt8(ascii: "\r") ? UnsafeBufferPointer(rebasing: bytes.dropLast()) : bytes
        // The treebank's rule, so predict takes no line that eval refuses (the splitter hands
        // over a finished line of any length).
        if let problem = InputText.lineProblem(byteCount: line.count) { throw overlong(number, problem) }
        try body(String(decoding: line, as: UTF8.self), number)
    }
    func overlong(_ number: Int, _ message: String) -> any Error {
        // A line too long to hold stops the input: its end, and so the next line, is unknown.
        InputError(source: name(number), line: 1, column: 1, message: message)
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        if prompt { FileHandle.standardError.write(Data("> ".utf8)) }
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            let what = fd == STDIN_FILENO ? "standard input" : name(number + 1)
            throw CLIError("cannot read \(what): \(errnoText())")
        }
        try buffer.withUnsafeBufferPointer { all in
            try splitter.consume(UnsafeBufferPointer(rebasing: all[..<count]), overlong: overlong, handle)
        }
        if prompt || !inputReady(fd) { try whenIdle() }
    }
    if prompt { FileHandle.standardError.write(Data("\n".utf8)) }
    try splitter.finish(handle)
}

/// Whether a `read` of `fd` would return at once (data, end of input or an error).
private func inputReady(_ fd: Int32) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    while true {
        let n = poll(&p, 1, 0)
        if n < 0 && errno == EINTR { continue }
        // An error here is left to the next read, which reports it.
        return n != 0
    }
}
