import Foundation
import SentreeCore

/// One input line of `predict`, read but not yet answered.
struct PendingInput: Sendable {
    var text: String
    /// Where errors say it is: "FILE:N", "<stdin line N>" or "<argument N>".
    var source: String
    /// Whether an empty line is passed over (lines of a file or of standard input) rather
    /// than refused (an argument).
    var skipEmpty: Bool
}

/// What `predict` prints for one input: one text per tree (a tree's lines, a JSON object or
/// a root line, without the final newline for the last two), and the leaves each model read
/// with a pretrained vector.
struct AnsweredInput: Sendable {
    var texts: [String] = []
    var pretrained: [Int] = []
    /// Formatting failed (JSON); the inputs before it are printed, then the command stops.
    var error: (any Error)? = nil
}

/// `predict`'s output formats, and the answer to one input in the chosen one.
struct AnswerFormat: Sendable {
    var json: Bool
    var rootOnly: Bool

    func answer(
        _ treebank: Treebank, structure: TreeStructure, models: [PredictionView], member: Int
    ) -> AnsweredInput {
        var out = AnsweredInput(pretrained: [Int](repeating: 0, count: models.count))
        // Each member reads the words with its own vocabulary.
        let words = models.map { $0.vocabulary.encode(treebank) }
        for m in models.indices { out.pretrained[m] = models[m].pretrained(words[m]) }
        do {
            for t in 0 ..< treebank.count {
                let answer = Answer(
                    tree: t, of: treebank, words: words, models: models, structure: structure,
                    member: member)
                if json {
                    out.texts.append(try answer.json())
                } else if rootOnly {
                    out.texts.append(
                        answer.nodeLine(answer.root, depth: 0, phrase: treebank.sentence(tree: t)))
                } else {
                    out.texts.append(answer.treeText())
                }
            }
        } catch {
            out.error = error
        }
        return out
    }
}

/// Answers `predict`'s inputs a chunk of lines at a time, all of the work on every thread of
/// `pool`, and prints the answers in input order: what one thread prints, byte for byte.
///
/// A chunk is read, tokenized and checked line by line in parallel; its plain sentences are
/// cut into the parser's batches (longest first, `ParserRunner.batches`) and its trees into
/// small blocks, and each thread takes a batch or block at a time, parses it on its own
/// network and predicts and formats its inputs on its own engine. Only reading the lines,
/// the sort, a vectors file's pass (`PredictionModel.cover`) and the writing stay serial.
final class ChunkAnswerer {
    /// Lines of one chunk at most (the caller answers a shorter one when no more input is
    /// ready): enough batches of 64 sentences that two threads end a chunk nearly together.
    static let chunkLines = 2048
    /// Lines (to read) or trees (to answer) per part of the work given to a thread.
    static let grain = 16

    let reader: LineReader
    let format: AnswerFormat
    let models: [PredictionModel]
    let pool: WorkerPool
    /// The parser, found (or trained) the first time a chunk has a plain sentence.
    let parsing: () throws -> ParsedSentences
    private var pending: [PendingInput] = []
    private(set) var timing = PredictTiming()
    /// Whether any input failed.
    private(set) var failed = false
    /// Whether nothing was printed yet (the text output separates trees by a blank line).
    private var first = true

    init(
        reader: LineReader, format: AnswerFormat, models: [PredictionModel], pool: WorkerPool,
        parsing: @escaping () throws -> ParsedSentences
    ) {
        self.reader = reader
        self.format = format
        self.models = models
        self.pool = pool
        self.parsing = parsing
    }

    /// Queues one input; a full chunk is answered at once.
    func take(_ input: PendingInput) throws {
        pending.append(input)
        if pending.count >= Self.chunkLines { try answerPending() }
    }

    /// Answers every queued input, and flushes standard output.
    func answerPending() throws {
        guard !pending.isEmpty else { return }
        let lines = pending
        pending.removeAll(keepingCapacity: true)
        let reader = self.reader
        let read = pool.map(count: lines.count, grain: Self.grain) { k, _ in reader.read(lines[k]) }
        let tokens = read.map { line -> [String] in
            if case .input(.sentence(let words)) = line { words } else { [] }
        }
        let parsed = try tokens.contains { !$0.isEmpty } ? parsing() : nil
        if read.contains(where: \.isInput) {
            for model in models { try model.cover(tokens: read.lazy.flatMap(\.tokens)) }
        }
        let answers = answer(read, tokens: tokens, parsed: parsed)
        try write(read, answers)
    }

    /// Each input's answer (nil for the lines that are no input), made on the pool.
    private func answer(_ read: [ReadInput], tokens: [[String]], parsed: ParsedSentences?) -> [AnsweredInput?]
    {
        let views = models.map(\.view), format = self.format
        let structure = parsed?.structure ?? .approximate
        let batches = ParserRunner.batches(lengths: tokens.map(\.count))
        let treeLines = read.indices.filter { if case .input(.tree) = read[$0] { true } else { false } }
        let blocks = stride(from: 0, to: treeLines.count, by: Self.grain).map {
            Array(treeLines[$0 ..< min($0 + Self.grain, treeLines.count)])
        }
        let found = Locked(
            (answers: [AnsweredInput?](repeating: nil, count: read.count), parsing: Duration.zero))
        pool.run(parts: batches.count + blocks.count) { part, member in
            var out: [(Int, AnsweredInput)] = []
            var took = Duration.zero
            if part < batches.count, let parsed {
                let batch = batches[part]
                let start = ContinuousClock.now
                let trees = parsed.trees(ofBatch: batch.map { tokens[$0] }, member: member)
                took = ContinuousClock.now - start
                for (k, tree) in zip(batch, trees) {
                    var bank = Treebank(source: "text")
                    bank.append(tree, tokens: tokens[k], label: Treebank.unlabeled, line: 1)
                    out.append((k, format.answer(bank, structure: structure, models: views, member: member)))
                }
            } else if part >= batches.count {
                for k in blocks[part - batches.count] {
                    guard case .input(.tree(let bank)) = read[k] else { continue }
                    out.append((k, format.answer(bank, structure: .given, models: views, member: member)))
                }
            }
            found.withLock {
                for (k, answer) in out { $0.answers[k] = answer }
                $0.parsing += took
            }
        }
        let (answers, parsing) = found.withLock { $0 }
        timing.parsing += parsing
        timing.sentences += tokens.count { !$0.isEmpty }
        timing.inputs += read.count { $0.isInput }
        return answers
    }

    /// Prints the answers and errors in input order; standard output is flushed before each
    /// error, so a terminal shows them where they belong.
    private func write(_ read: [ReadInput], _ answers: [AnsweredInput?]) throws {
        var out = ""
        func flush() {
            print(out, terminator: "")
            out = ""
            StandardStreams.flushStandardOutput()
        }
        defer { flush() }
        for (k, line) in read.enumerated() {
            switch line {
            case .skipped: continue
            case .failed(let error):
                flush()
                failed = true
                printError("Error: \(error)")
            case .stopped(let error):
                flush()
                throw error
            case .input:
                guard let answer = answers[k] else { continue }
                for (model, count) in zip(models, answer.pretrained) { model.countPretrained(count) }
                for text in answer.texts {
                    if format.json || format.rootOnly {
                        out += text
                        out += "\n"
                    } else {
                        if !first { out += "\n" }
                        out += text
                    }
                    first = false
                }
                if let error = answer.error {
                    flush()
                    throw error
                }
            }
        }
    }
}

/// One line once read: the input it holds, or why it holds none.
enum ReadInput: Sendable {
    /// An empty line of a file or of standard input.
    case skipped
    case input(Predict.Input)
    /// A bad input, reported on its own line; the others are still answered.
    case failed(InputError)
    /// An error that ends the command once the inputs before it are answered.
    case stopped(any Error)

    var isInput: Bool { if case .input = self { true } else { false } }

    /// The tokens the models read (those of a tree's leaves, or of a sentence).
    var tokens: [String] {
        switch self {
        case .input(.tree(let bank)): bank.tokens
        case .input(.sentence(let words)): words
        default: []
        }
    }
}
