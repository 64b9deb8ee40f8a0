import ArgumentParser
import Foundation
import SentreeCore

/// `sentree parser train`: learns SST's bracketing and caches the parser beside the data.
struct ParserTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the span parser on the trees of train.txt, choosing the epoch by dev bracket F1.",
        discussion: """
            The parser (BiLSTM over words, endings and shapes, and with --char-channels their \
            characters; span scores; CKY) learns only the \
            bracketing, not the labels. On a terminal a progress bar with ETA is shown and each \
            epoch's dev F1 is printed; otherwise one line per epoch. The weights of the best epoch \
            are written atomically to --out (default: parser.safetensors in the data directory), \
            which `sentree parse` then uses.
            """)

    @Option(help: "Directory with train.txt and dev.txt (default: data/sst, fetched if missing).") var data:
        String?
    @Option(
        help: """
            GloVe or word2vec text file to start the word vectors from (default: the first \
            glove.6B.50d*.txt in DATA/../glove if there is one; `none` for random vectors).
            """) var embeddings: String?
    @Option(help: "Parser file to write (default: DATA/parser.safetensors).") var out: String?
    @Option(help: "Passes over the training sentences.") var epochs = ParserTrainingOptions().epochs
    @Option(help: "Random seed (training is deterministic for a seed).") var seed: UInt64 = 1
    @Option(help: "LSTM width per direction (a multiple of 16).") var hidden = ParserConfig().hidden
    @Option(help: "BiLSTM layers (1 or 2).") var layers = ParserConfig().layers
    @Option(help: "Span scorer width (a multiple of 16).") var spanHidden = ParserConfig().spanHidden
    @Option(
        help: """
            Channels of the character encoder, a convolution of width 3 over each word's characters \
            (a multiple of 16; 0: none).
            """) var charChannels = ParserConfig().charChannels
    @Option(help: "Width of a character's vector in the character encoder.") var charDim = ParserConfig()
        .charDim
    @Option(help: "Sentences per update.") var batchSize = ParserTrainingOptions().batchSize
    @Option(help: "Adam learning rate.") var lr: Float = ParserTrainingOptions().learningRate
    @Option(help: "Factor applied to the learning rate after each epoch (1: constant).")
    var lrDecay = ParserTrainingOptions().learningRateDecay
    @Option(help: "Dropout rate of the LSTM inputs and the fenceposts.") var dropout = ParserTrainingOptions()
        .dropout
    @Option(
        help: """
            Word dropout α: a training word seen c times reads <unk> with probability α/(α + c), \
            its ending and shape kept, so the parser learns to bracket unseen words (0: off).
            """) var wordDropout = ParserTrainingOptions().wordDropout
    @Option(help: "Span loss: hinge (margin over whole trees) or logistic (each span alone).")
    var loss = ParserTrainingOptions().loss
    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if epochs < 1 || epochs > 1000 { throw ValidationError("--epochs must be in 1...1000") }
        if !(dropout >= 0 && dropout < 1) { throw ValidationError("--dropout must be in [0, 1)") }
        if !WordDropout.isValid(alpha: wordDropout) {
            throw ValidationError("--word-dropout must be zero or a positive number (got \(wordDropout))")
        }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number") }
        if !(lrDecay > 0 && lrDecay <= 1) { throw ValidationError("--lr-decay must be in (0, 1]") }
        var c = ParserConfig()
        c.hidden = hidden; c.spanHidden = spanHidden; c.layers = layers
        c.charChannels = charChannels; c.charDim = charDim
        if let problem = c.problem { throw ValidationError(problem) }
    }

    func run() throws {
        try reportingErrors {
            let dir = try SSTData.resolve(explicitDirectory: data) { printError($0) }
            var options = ParserTrainingOptions()
            options.epochs = epochs; options.seed = seed; options.batchSize = batchSize
            options.learningRate = lr; options.learningRateDecay = lrDecay
            options.embeddings = embeddings == "none" ? nil : embeddings ?? defaultParserEmbeddings(dir)
            options.dropout = dropout; options.wordDropout = wordDropout; options.loss = loss
            options.threads = threadOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount
            options.config.hidden = hidden; options.config.spanHidden = spanHidden
            options.config.layers = layers
            options.config.charChannels = charChannels; options.config.charDim = charDim
            _ = try trainParser(dataDirectory: dir, options: options, out: out ?? defaultParserPath(dir))
        }
    }
}

/// Trains on `dataDirectory`'s train.txt (dev.txt picks the epoch), reporting on stdout,
/// and writes the parser to `out`.
///
/// With `toStandardError` (for `parse`, whose standard output holds trees) everything goes
/// to standard error, and the bar is drawn if that is a terminal.
func trainParser(
    dataDirectory dir: String, options: ParserTrainingOptions, out: String,
    toStandardError: Bool = false
) throws -> SpanParser {
    func write(_ text: String) {
        if toStandardError {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            print(text, terminator: "")
        }
        fflush(nil)
    }
    func log(_ line: String) { write(line + "\n") }
    try ParserFile.checkWritable(out)
    let train = try Treebank.load(contentsOf: (dir as NSString).appendingPathComponent("train.txt"))
    let dev = try Treebank.load(contentsOf: (dir as NSString).appendingPathComponent("dev.txt"))
    let bar = isatty(toStandardError ? STDERR_FILENO : STDOUT_FILENO) == 1
    var barShown = false
    func clearBar() {
        if barShown { write("\r\u{1B}[K"); barShown = false }
    }
    log(
        TerminalText.sanitized(
            "Training the parser on \(train.source) (dev: \(dev.source)), "
                + "\(options.epochs) epochs, seed \(options.seed), \(options.threads) "
                + "thread\(options.threads == 1 ? "" : "s")"))
    var evalSeconds = 0.0, lastBatchSeconds = 0.0
    let (parser, epochs) = try ParserTraining.train(train: train, dev: dev, options: options) { event in
        switch event {
        case .note(let text):
            clearBar()
            log(TerminalText.sanitized(text))
        case let .batch(epoch, done, total, loss, seconds):
            lastBatchSeconds = seconds
            guard bar else { return }
            let finished = Double((epoch - 1) * total + done), all = Double(options.epochs * total)
            let perBatch = (seconds - evalSeconds) / max(finished, 1)
            let perEval = epoch > 1 ? evalSeconds / Double(epoch - 1) : perBatch * Double(total) * 0.1
            let eta = perBatch * (all - finished) + perEval * Double(options.epochs - epoch + 1)
            let width = 30, filled = Int(Double(width) * finished / all)
            let line =
                "epoch \(epoch)/\(options.epochs) [" + String(repeating: "#", count: filled)
                + String(repeating: ".", count: width - filled) + "] \(done)/\(total)  loss "
                + String(format: "%.3f", loss) + "  ETA " + clock(eta)
            write("\r\u{1B}[K" + line)
            barShown = true
        case .epoch(let e):
            clearBar()
            evalSeconds += e.seconds - lastBatchSeconds
            log(
                "epoch \(e.epoch)  loss \(String(format: "%.4f", e.loss))  dev F1 \(String(format: "%.2f", e.dev.f1))"
                    + " (P \(String(format: "%.2f", e.dev.precision)), R \(String(format: "%.2f", e.dev.recall)))"
                    + "  \(String(format: "%.1f", e.seconds)) s" + (e.isBest ? "  best" : ""))
        }
    }
    try ParserFile.write(parser, to: out)
    let best = epochs.first { $0.isBest && String(format: "%.2f", $0.dev.f1) == parser.info["dev_f1"] }
    log(
        TerminalText.sanitized(
            "Parser written to \(out): dev F1 \(parser.info["dev_f1"] ?? "?") "
                + "(epoch \(best?.epoch ?? 0)), trained in \(parser.info["training_seconds"] ?? "?") s"))
    return parser
}

/// `1:05` or `1:02:05`.
func clock(_ seconds: Double) -> String {
    let s = max(0, Int(seconds.rounded()))
    return s >= 3600
        ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String(format: "%d:%02d", s / 60, s % 60)
}
