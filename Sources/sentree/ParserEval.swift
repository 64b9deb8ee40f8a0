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
            that of parsing them all (BiLSTM and CKY), on --threads threads (at most 2).
            """)

    @Option(help: "Directory with dev.txt (default: data/sst, fetched if missing).") var data: String?
    @Option(help: "Treebank file to score on (default: DATA/dev.txt).") var file: String?
    @Option(help: "Parser file (default: DATA/parser.safetensors).") var parser: String?
    @Flag(help: "Also break the score down by bracket length and by sentence length.")
    var breakdown = false
    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try reportingErrors {
            let dir = try SSTData.resolve(explicitDirectory: data) { printError($0) }
            let path = file ?? (dir as NSString).appendingPathComponent("dev.txt")
            let parserPath = parser ?? defaultParserPath(dir)
            let model = try ParserFile.read(from: parserPath)
            let bank = try loadTreebankToScore(path)
            let sentences = (0 ..< bank.count).map { ParserData.tokens(of: $0, in: bank) }
            let start = ContinuousClock.now
            let threads = threadOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount
            let trees = model.parse(sentences, threads: threads)
            let elapsed = ContinuousClock.now - start
            var score = BracketScore()
            for t in 0 ..< bank.count {
                score.add(predicted: trees[t].scoredSpans, gold: BracketScore.spans(of: t, in: bank))
            }
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
                    format: "speed           %.0f sentences/s (%.2f s, %d thread(s))",
                    Double(bank.count) / seconds, seconds, min(threads, 2)
                ))
            if breakdown { printBreakdown(bank, trees) }
        }
    }
}

/// Where the errors are: precision and recall of brackets grouped by their length in words,
/// and F1 of sentences grouped by their length.
private func printBreakdown(_ bank: Treebank, _ trees: [BinaryTree]) {
    let groups: [(name: String, range: ClosedRange<Int>)] = [
        ("2", 2 ... 2), ("3-4", 3 ... 4), ("5-8", 5 ... 8), ("9-16", 9 ... 16), ("17+", 17 ... Int.max),
    ]
    func group(_ length: Int) -> Int { groups.firstIndex { $0.range.contains(length) }! }
    var byBracket = [BracketScore](repeating: BracketScore(), count: groups.count)
    var bySentence = byBracket
    var sentenceCount = [Int](repeating: 0, count: groups.count)
    for t in 0 ..< bank.count {
        let gold = BracketScore.spans(of: t, in: bank), predicted = trees[t].scoredSpans
        let goldSet = Set(gold)
        for span in predicted {
            byBracket[group(span.length)].predicted += 1
            if goldSet.contains(span) { byBracket[group(span.length)].matched += 1 }
        }
        for span in gold { byBracket[group(span.length)].gold += 1 }
        let n = trees[t].wordCount
        bySentence[group(max(n, 2))].add(predicted: predicted, gold: gold)
        sentenceCount[group(max(n, 2))] += 1
    }
    print("by bracket length (words): precision / recall (gold brackets)")
    for (k, g) in groups.enumerated() {
        let b = byBracket[k]
        print(
            "  \(g.name.padding(toLength: 5, withPad: " ", startingAt: 0))"
                + String(format: " %6.2f / %6.2f  (%d)", b.precision, b.recall, b.gold))
    }
    print("by sentence length (words): F1 (sentences)")
    for (k, g) in groups.enumerated() where sentenceCount[k] > 0 {
        print(
            "  \(g.name.padding(toLength: 5, withPad: " ", startingAt: 0))"
                + String(format: " %6.2f  (%d)", bySentence[k].f1, sentenceCount[k]))
    }
}
