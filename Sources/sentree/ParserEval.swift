import ArgumentParser
import Foundation
import SentreeCore

/// `sentree parser eval`: bracket F1 and speed of a parser file on a treebank.
struct ParserEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Score a parser on a treebank: unlabeled bracket F1 (and right-branching's), sentences per second.",
        discussion: """
            Brackets are the inner nodes' spans except single words and the whole sentence, \
            micro-averaged over the file. The parser reads the treebank's own tokens; the time is \
            that of parsing them all (BiLSTM and CKY), on one thread.
            """)

    @Option(help: "Directory with dev.txt (default: data/sst, fetched if missing).") var data: String?
    @Option(help: "Treebank file to score on (default: DATA/dev.txt).") var file: String?
    @Option(help: "Parser file (default: DATA/parser.safetensors).") var parser: String?

    func run() throws {
        try reportingErrors {
            let dir = try SSTData.resolve(explicitDirectory: data) { printError($0) }
            let path = file ?? (dir as NSString).appendingPathComponent("dev.txt")
            let parserPath = parser ?? defaultParserPath(dir)
            let model = try ParserFile.read(from: parserPath)
            let bank = try Treebank.load(contentsOf: path)
            let start = ContinuousClock.now
            let score = model.evaluate(bank)
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            var baseline = BracketScore()
            for t in 0 ..< bank.count {
                baseline.add(
                    predicted: BracketScore.rightBranchingSpans(ParserData.tokens(of: t, in: bank)),
                    gold: BracketScore.spans(of: t, in: bank))
            }
            print(
                TerminalText.sanitized(
                    "parser  \(parserPath) (dev F1 at training: \(model.info["dev_f1"] ?? "?"))"))
            print(
                TerminalText.sanitized(
                    "data    \(path): \(bank.count) sentences, \(bank.tokens.count) tokens"))
            print(
                String(
                    format: "bracket F1      %.2f  (P %.2f, R %.2f; %d of %d brackets)", score.f1,
                    score.precision, score.recall, score.matched, score.gold))
            print(String(format: "right-branching %.2f", baseline.f1))
            print(
                String(
                    format: "speed           %.0f sentences/s (%.2f s)", Double(bank.count) / seconds, seconds
                ))
        }
    }
}
