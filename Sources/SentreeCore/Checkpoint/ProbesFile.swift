import Foundation

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
    public static func load(
        runDirectory: String, sentences: any SentenceTrees = RightBranchingTrees()
    ) -> Loaded {
        let path = path(runDirectory: runDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return Loaded() }
        let data: Data
        do { data = try RegularFile.contents(of: path) } catch {
            return Loaded(probes: [], problems: [TerminalText.sanitized(error.description)])
        }
        return parse(String(decoding: data, as: UTF8.self), source: path, sentences: sentences)
    }

    /// Parses the text of a probes file: blank lines and lines starting with `#` are ignored,
    /// repeated probes kept once.
    public static func parse(
        _ contents: String, source: String, sentences: any SentenceTrees = RightBranchingTrees()
    ) -> Loaded {
        var loaded = Loaded()
        // A set, not a search of the list: 100,000 probes took 71 s to read, quadratically.
        var seen = Set<String>()
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
                let probe = try Probe(parsing: String(line), source: source, sentences: sentences)
                if seen.insert(probe.text).inserted { loaded.probes.append(probe) }
            } catch let error as InputError {
                // Columns count from the line's own start, before trimming.
                let indent = line.prefix { $0 == " " || $0 == "\t" }.count
                let located = InputError(
                    source: source, line: k + 1, column: error.column + indent,
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
