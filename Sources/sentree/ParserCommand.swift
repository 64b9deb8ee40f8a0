import ArgumentParser
import Foundation
import SentreeCore

/// `sentree parser …`: train, score and check the bracketing parser that `parse` uses.
struct ParserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parser",
        abstract: "Train and measure the parser that turns plain sentences into binary trees.",
        subcommands: [
            ParserTrain.self, ParserEval.self, ParserCheckTokenizer.self, ParserDetokenize.self,
            ParserGradcheck.self,
        ])
}

/// The tokenizer's round trip over a treebank: tokens → plausible text → tokens.
struct ParserCheckTokenizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-tokenizer",
        abstract: "Measure the tokenizer: how many sentences of a treebank survive tokens → text → tokens.",
        discussion: """
            Each tree's tokens are turned into text as a person would type it (`do n't` → `don't`, \
            `-LRB-` → `(`, punctuation attached), tokenized again, and compared with the tree's tokens.
            """)

    @Option(help: "Treebank file (default: dev.txt of the SST directory).") var file: String?
    @Option(help: "Directory with train.txt and dev.txt (default: data/sst, fetched if missing).") var data:
        String?
    @Option(help: "Mismatches to show.") var show = 10

    func run() throws {
        try reportingErrors {
            let path = try file ?? (SSTData.resolve(explicitDirectory: data) { printError($0) } + "/dev.txt")
            let bank = try loadTreebankToScore(path)
            var same = 0
            var shown = 0
            for t in 0 ..< bank.count {
                let gold = ParserData.tokens(of: t, in: bank)
                let text = Detokenizer.text(of: gold)
                let again = Tokenizer.tokens(of: text)
                if again == gold { same += 1; continue }
                if shown < show {
                    shown += 1
                    print("line \(bank.lines[t]): \(TerminalText.sanitized(text))")
                    print("  gold:  \(TerminalText.sanitized(gold.joined(separator: " ")))")
                    print("  ours:  \(TerminalText.sanitized(again.joined(separator: " ")))")
                }
            }
            print(
                "\(same) of \(bank.count) sentences (\(String(format: "%.2f", 100 * Double(same) / Double(bank.count)))%) "
                    + "tokenized exactly as the treebank: \(TerminalText.sanitized(path))")
        }
    }
}

/// `sentree parser detokenize`: a treebank's sentences as plain text, one per line, the input that
/// `predict --input` and `parse --input` are measured on (the same text `check-tokenizer` checks).
struct ParserDetokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Print a treebank's sentences as plain text, one per line.",
        discussion: """
            Each tree's tokens are written as a person would type them (`do n't` → `don't`, `-LRB-` → `(`, \
            punctuation attached). `--repeat N` prints the file N times, for speed measurements.
            """)

    @Option(help: "Treebank file (default: dev.txt of the SST directory).") var file: String?
    @Option(help: "Directory with train.txt and dev.txt (default: data/sst, fetched if missing).") var data:
        String?
    @Option(name: .customLong("repeat"), help: "Print the sentences this many times.") var times = 1

    func validate() throws {
        if times < 1 { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let path = try file ?? (SSTData.resolve(explicitDirectory: data) { printError($0) } + "/dev.txt")
            let bank = try Treebank.load(contentsOf: path)
            var lines = ""
            for t in 0 ..< bank.count {
                lines += Detokenizer.text(of: ParserData.tokens(of: t, in: bank)) + "\n"
            }
            for _ in 0 ..< times { FileHandle.standardOutput.write(Data(lines.utf8)) }
        }
    }
}

/// `sentree parser gradcheck`: the parser's backward pass against finite differences.
struct ParserGradcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Check the parser's hand-written gradients against centred finite differences (Float64).",
        discussion: "Exits 0 only if every relative error is below 1e-6.")

    @Option(help: "LSTM width per direction (a multiple of 16).") var hidden = 16
    @Option(help: "Span scorer width (a multiple of 16).") var spanHidden = 16
    @Option(help: "BiLSTM layers (1 or 2).") var layers = 1
    @Option(help: "Character encoder channels (a multiple of 16; 0: none).") var charChannels = 16
    @Option(help: "Character vector width.") var charDim = 3
    @Option(help: "Number of random sentences.") var sentences = 4
    @Option(help: "Random seed.") var seed: UInt64 = 17
    @Option(help: "Finite-difference step.") var epsilon = 1e-4
    @Option(help: "Loss to check: hinge or logistic.") var loss = ParserLoss.hinge

    func validate() throws {
        if hidden < 16 || hidden % 16 != 0 || spanHidden < 16 || spanHidden % 16 != 0 {
            throw ValidationError("--hidden and --span-hidden must be positive multiples of 16")
        }
        try validateGradientCheck(count: ("--sentences", sentences), epsilon: epsilon)
        if layers < 1 || layers > 2 { throw ValidationError("--layers must be 1 or 2") }
        var c = ParserConfig()
        c.charChannels = charChannels; c.charDim = charDim
        if let problem = c.problem { throw ValidationError(problem) }
    }

    func run() throws {
        let report = ParserGradientCheck.run(
            hidden: hidden, spanHidden: spanHidden, layers: layers, charChannels: charChannels,
            charDim: charDim,
            sentences: sentences, seed: seed, epsilon: epsilon, loss: loss)
        print(
            "parser gradient check: h=\(hidden), H=\(spanHidden), \(layers) layer(s), "
                + (charChannels > 0
                    ? "\(charChannels) character channels of width \(charDim), " : "no characters, ")
                + "\(sentences) random sentences, \(loss.rawValue) loss, Float64")
        print("parameter        count   max relative error   at a kink (left out)")
        for t in report.tensors {
            print(
                "\(t.name.padding(toLength: 15, withPad: " ", startingAt: 0))  \(String(t.count).leftPadded(to: 6))"
                    + "   \(String(format: "%.3e", t.maxRelativeError))"
                    + (t.atKinks > 0 ? "            \(t.atKinks)" : ""))
        }
        print(
            "overall                  \(String(format: "%.3e", report.overall))  "
                + "(threshold \(String(format: "%.0e", report.threshold)))")
        print(report.passed ? "PASS" : "FAIL")
        if !report.passed { throw ExitCode(1) }
    }
}

extension ParserLoss: ExpressibleByArgument {}
