import Foundation

/// A sentence or tree a user watches while a model trains: its tree, predicted again at
/// every new parameter snapshot.
public struct Probe: Sendable, Equatable {
    /// The text as given (trimmed): a PTB tree when it starts with `(`, else a sentence.
    public let text: String
    /// One tree: the given one, or the sentence binarized as `predict` does.
    public let treebank: Treebank

    /// Whether the structure is a guess (a plain sentence binarized without a parser).
    public var approximate: Bool { !text.hasPrefix("(") }

    /// Parses a probe with the rules of `sentree predict` (`Treebank.parse` without required
    /// labels, or `Treebank.fromSentences`), so hostile text fails the same way. Errors name
    /// `source`, line 1, and the column.
    public init(parsing raw: String, source: String) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw InputError(source: source, line: 1, column: 1, message: "empty probe: type a sentence or a tree")
        }
        let treebank = text.hasPrefix("(")
            ? try Treebank.parse(text, source: source, requireLabels: false)
            : try Treebank.fromSentences([text], source: source)
        guard treebank.count == 1 else {
            throw InputError(source: source, line: 1, column: 1,
                             message: "a probe is one tree; this line holds \(treebank.count)")
        }
        self.text = text
        self.treebank = treebank
    }

    /// Two probes are the same when their texts are (the tree follows from the text).
    public static func == (a: Probe, b: Probe) -> Bool { a.text == b.text }

    /// Leaf word ids under `vocabulary` (unknown words are row 0, `<unk>`, as in `predict`).
    public func wordIDs(_ vocabulary: Vocabulary) -> [Int32] { vocabulary.encode(treebank) }
}

/// The probes of a run: `RUN/probes.txt`, one probe per line.
public enum Probes {
    public static let fileName = "probes.txt"

    public static func path(runDirectory: String) -> String { runDirectory + "/" + fileName }

    /// Probes read from a file, and the lines that were skipped.
    public struct Loaded: Sendable {
        public var probes: [Probe] = []
        /// One `probes.txt:line:column: message (line skipped)` per bad line.
        public var problems: [String] = []
    }

    /// Reads `RUN/probes.txt`. A missing file means no probes; a bad line is skipped and
    /// reported in `problems`, so a damaged file never stops a run or a viewer.
    public static func load(runDirectory: String) -> Loaded {
        let path = path(runDirectory: runDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return Loaded() }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Loaded(probes: [], problems: [TerminalText.sanitized("\(path): cannot read the file")])
        }
        return parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// Parses the text of a probes file: blank lines and lines starting with `#` are ignored,
    /// repeated probes kept once.
    public static func parse(_ contents: String, source: String) -> Loaded {
        var loaded = Loaded()
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        let lines = contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (k, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if let problem = InputText.lineProblem(byteCount: line.utf8.count) {
                let error = InputError(source: source, line: k + 1, column: 1, message: problem)
                loaded.problems.append(error.description + " (line skipped)")
                continue
            }
            do {
                let probe = try Probe(parsing: String(line), source: source)
                if !loaded.probes.contains(where: { $0.text == probe.text }) { loaded.probes.append(probe) }
            } catch let error as InputError {
                // Columns count from the line's own start, before trimming.
                let indent = line.prefix { $0 == " " || $0 == "\t" }.count
                let located = InputError(source: source, line: k + 1, column: error.column + indent,
                                         message: error.message)
                loaded.problems.append(located.description + " (line skipped)")
            } catch {
                loaded.problems.append("\(source):\(k + 1):1: \(error) (line skipped)")
            }
        }
        return loaded
    }

    /// Replaces `RUN/probes.txt` atomically with one line per probe.
    public static func save(_ probes: [Probe], runDirectory: String) throws {
        let text = probes.map { $0.text + "\n" }.joined()
        try AtomicFile.write(Data(text.utf8), to: path(runDirectory: runDirectory))
    }
}
