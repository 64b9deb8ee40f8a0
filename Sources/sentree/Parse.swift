import ArgumentParser
import Foundation
import SentreeCore

/// `sentree parse`: plain sentences in, binary trees in PTB notation out.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize and parse plain sentences into binary trees (PTB notation or JSON).",
        discussion: """
            Each argument, each line of --input FILE, or each line of standard input is one \
            sentence. It is tokenized as SST is (`don't` → `do n't`, `(` → `-LRB-`) and bracketed \
            by the span parser; one tree is printed per line, every node labelled 2 so that \
            `sentree eval`, `predict` and any SST reader accept it. Sentences over \
            \(ChartDecoder.exactLimit) tokens are bracketed greedily (top-down) instead of exactly.

            The parser is --parser FILE, else the data directory's cached parser; if there is none \
            it is trained first (on SST about a minute on two idle cores, progress on standard error) and cached, in the \
            data directory or, if that is read-only, under $XDG_CACHE_HOME/sentree (docs/commands.md). A line that breaks the input rules (control characters, over-long words or \
            lines) is reported as source:line:column on standard error and skipped; the exit \
            status is then 1.
            """)

    @Argument(help: "Sentences (default: lines of --input, else of standard input).") var sentences:
        [String] = []
    @Option(help: "File with one sentence per line.") var input: String?
    @Option(help: "Directory with train.txt and dev.txt, where the parser is cached (default: data/sst).")
    var data: String?
    @OptionGroup var parserOptions: ParserOptions
    @Flag(help: "Print one JSON object per sentence: line, tokens, tree, spans.") var json = false
    @Flag(
        help: ArgumentHelp(
            "Print the fixed rule's tree instead (final punctuation on top, the rest right-branching): "
                + "what sentree did before the parser, for comparison."))
    var rightBranching = false

    func validate() throws {
        if input != nil && !sentences.isEmpty {
            throw ValidationError("give sentences or --input FILE, not both")
        }
    }

    func run() throws {
        var failed = false
        try reportingErrors {
            let model: ParsedSentences
            if rightBranching || parserOptions.parser == noParser {
                model = ParsedSentences(parser: nil)
            } else {
                // Only a parser still to be found needs the data (which may be fetched first).
                let dir =
                    try parserOptions.parser == nil
                    ? SSTData.resolve(explicitDirectory: data) { printError($0) } : nil
                guard
                    let parser = try ParserSource.resolve(explicit: parserOptions.parser, dataDirectory: dir)
                else { throw CLIError("no parser: give --parser FILE or a data directory with train.txt") }
                model = ParsedSentences(parser: parser)
            }
            var pending: [(line: Int, tokens: [String])] = []
            func flush() {
                let trees = model.trees(of: pending.map(\.tokens))
                for (k, item) in pending.enumerated() { emit(trees[k], tokens: item.tokens, line: item.line) }
                pending.removeAll()
                fflush(nil)
            }
            func take(_ text: String, line: Int, source: String, position: Int) {
                do {
                    let tokens = try SentenceInput.tokens(of: text, line: line, source: source)
                    if !tokens.isEmpty { pending.append((position, tokens)) }
                } catch {
                    failed = true
                    flush()  // keep the output in input order around the error
                    printError(TerminalText.sanitized("\(error)"))
                }
                if pending.count >= 256 { flush() }
            }
            if let input {
                let data: Data
                do {
                    data = try RegularFile.contents(of: input)
                } catch {
                    throw CLIError(TerminalText.sanitized("\(error)"))
                }
                var splitter = LineSplitter()
                var number = 0
                func handle(_ bytes: UnsafeBufferPointer<UInt8>) throws(InputError) {
                    number += 1
                    let line =
                        bytes.last == UInt8(ascii: "\r")
                        ? UnsafeBufferPointer(rebasing: bytes.dropLast()) : bytes
                    take(String(decoding: line, as: UTF8.self), line: number, source: input, position: number)
                }
                func overlong(_ line: Int, _ message: String) -> InputError {
                    InputError(source: input, line: line, column: 1, message: message)
                }
                do {
                    try data.withUnsafeBytes { raw in
                        try splitter.consume(raw.bindMemory(to: UInt8.self), overlong: overlong, handle)
                    }
                    try splitter.finish(handle)
                } catch {
                    flush()
                    throw error
                }
            } else if sentences.isEmpty {
                try forEachLine(
                    of: STDIN_FILENO, name: { _ in "<stdin>" }, prompt: false,
                    { take($0, line: $1, source: "<stdin>", position: $1) }, whenIdle: flush)
            } else {
                for (k, s) in sentences.enumerated() {
                    take(s, line: 1, source: "<argument \(k + 1)>", position: k + 1)
                }
            }
            flush()
        }
        if failed { throw ExitCode(1) }
    }

    func emit(_ tree: BinaryTree, tokens: [String], line: Int) {
        var bank = Treebank(source: "parse")
        bank.append(tree, tokens: tokens, label: 2, line: line)
        let text = bank.ptbText(of: 0)
        guard json else { print(TerminalText.sanitized(text)); return }
        let object: [String: Any] = [
            "line": line, "tokens": tokens, "tree": text,
            "spans": tree.spans.filter { $0.length >= 2 }.map { [Int($0.start), Int($0.end)] },
        ]
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
