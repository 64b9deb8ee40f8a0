import ArgumentParser
import Foundation
import SentreeCore

/// `--parser FILE`: the option of every command that turns plain sentences into trees.
struct ParserOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Parser file for plain sentences (default: the data directory's cached parser, trained "
                + "on its train.txt if there is none; 'none': the fixed right-branching tree).",
            valueName: "file"))
    var parser: String?
}

/// `--parser none`: no parser, the fixed rule's trees, and none is trained.
let noParser = "none"

/// Where `parse`, `predict`, `eval --parse`, `train` and `view` get the parser that brackets
/// plain sentences, so that all of them find, train and cache it alike (docs/commands.md):
///
/// 1. `--parser FILE`;
/// 2. else the parser cached for the data directory: `DATA/parser.safetensors`, or, for a
///    data directory sentree may not write, `$XDG_CACHE_HOME/sentree/parser-KEY.safetensors`
///    (`~/.cache` without XDG_CACHE_HOME), KEY a hash of train.txt and dev.txt so that two
///    training sets never share a file;
/// 3. else one is trained on DATA/train.txt (dev.txt picks the epoch) and cached there,
///    atomically;
/// 4. with no training trees at all, none: plain sentences get the fixed right-branching
///    tree, marked approximate, and standard error says why once.
///
/// `--parser none` asks for the fixed rule's trees outright: nothing is read or trained.
enum ParserSource {
    /// The parser by rules 1–4 (`train: false` stops after 2: the dashboard never trains).
    ///
    /// `dataDirectory` nil: the run or command records none, so only `--parser` can give one.
    /// `threads`: the most threads that may train a parser (the training's default is the
    /// most when nil), so that a command's `--threads` holds while it waits for one.
    static func resolve(
        explicit: String?, dataDirectory: String?, train: Bool = true, threads: Int? = nil
    ) throws -> SpanParser? {
        if explicit == noParser { return nil }
        if let explicit { return try ParserFile.read(from: explicit) }
        guard let dir = dataDirectory else {
            printError(
                "note: no data directory known, so no parser: plain sentences get the approximate "
                    + "right-branching tree (give --parser FILE)")
            return nil
        }
        let local = defaultParserPath(dir)
        if FileManager.default.fileExists(atPath: local) { return try cached(local, dataDirectory: dir) }
        let trainFile = (dir as NSString).appendingPathComponent("train.txt")
        guard FileManager.default.fileExists(atPath: trainFile) else {
            printError(
                TerminalText.sanitized(
                    "note: no parser and no training trees (\(trainFile) is missing): plain sentences "
                        + "get the approximate right-branching tree (give --parser FILE)"))
            return nil
        }
        let shared = try sharedCachePath(dataDirectory: dir)
        if FileManager.default.fileExists(atPath: shared) { return try cached(shared, dataDirectory: dir) }
        guard train else { return nil }
        var (out, options) = trainingPlan(dir, shared: shared)
        if let threads { options.threads = max(1, min(options.threads, threads)) }
        if out == shared {
            try FileManager.default.createDirectory(
                atPath: parentPath(shared), withIntermediateDirectories: true)
        }
        printError(TerminalText.sanitized("No parser for \(dir) yet: training one, cached as \(out)"))
        return try trainParser(dataDirectory: dir, options: options, out: out, toStandardError: true)
    }

    /// The parser cached at `path` for `dir`, with a note on standard error when today's
    /// defaults would train it otherwise.
    static func cached(_ path: String, dataDirectory dir: String) throws -> SpanParser {
        let parser = try ParserFile.read(from: path)
        if let note = staleNote(parser, path: path, dataDirectory: dir) { printError(note) }
        return parser
    }

    /// Why the cached parser at `path` is older than what training would give today, or nil.
    static func staleNote(_ parser: SpanParser, path: String, dataDirectory dir: String) -> String? {
        let differences = parser.outdatedSettings(today: trainingPlan(dir, shared: path).options)
        guard !differences.isEmpty else { return nil }
        let f1 = parser.info["dev_f1"].map { " (dev F1 \($0))" } ?? ""
        return TerminalText.sanitized(
            "note: the cached parser \(path)\(f1) was trained with older defaults ("
                + differences.joined(separator: "; ") + "); `sentree parser train --data \(dir) --out "
                + "\(path)` trains one with today's defaults")
    }

    /// Where and how a parser for `dir` is trained when none is cached: into the data
    /// directory when sentree may write there, else into the user cache file `shared`; from
    /// GloVe when it sits beside the data.
    static func trainingPlan(_ dir: String, shared: String) -> (out: String, options: ParserTrainingOptions) {
        var options = ParserTrainingOptions()
        options.embeddings = defaultParserEmbeddings(dir)
        return (mayCache(in: dir) ? defaultParserPath(dir) : shared, options)
    }

    /// For the dashboard, which finds no cached parser (`resolve(train: false)` gave nil):
    /// the training it starts in the background when a plain sentence first needs a tree,
    /// on one thread, cached where `resolve` would cache it. nil without training trees.
    static func backgroundJob(explicit: String?, dataDirectory: String?) -> ParserTrainingJob? {
        guard explicit == nil, let dir = dataDirectory else { return nil }
        let trainFile = (dir as NSString).appendingPathComponent("train.txt")
        let devFile = (dir as NSString).appendingPathComponent("dev.txt")
        guard FileManager.default.fileExists(atPath: trainFile),
            let shared = try? sharedCachePath(dataDirectory: dir)
        else { return nil }
        var (out, options) = trainingPlan(dir, shared: shared)
        options.threads = 1
        return ParserTrainingJob(train: trainFile, dev: devFile, out: out, options: options)
    }

    /// `resolve` wrapped for bracketing: the parser's trees, or the fixed rule's.
    static func sentences(
        explicit: String?, dataDirectory: String?, pool: WorkerPool = WorkerPool(size: 1),
        train: Bool = true
    ) throws -> ParsedSentences {
        ParsedSentences(
            parser: try resolve(
                explicit: explicit, dataDirectory: dataDirectory, train: train, threads: pool.size),
            pool: pool)
    }

    /// The cache file for `dataDirectory` outside it, named by a hash of its train.txt and dev.txt.
    static func sharedCachePath(dataDirectory dir: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        var hash = FNV1a()
        for name in ["train.txt", "dev.txt"] {
            let path = (dir as NSString).appendingPathComponent(name)
            // A missing dev.txt hashes as empty; training then reports it.
            let data = FileManager.default.contents(atPath: path) ?? Data()
            hash.add(Data(name.utf8))
            hash.add(data)
        }
        let key = String(format: "%016llx", hash.value)
        return ((base as NSString).appendingPathComponent("sentree") as NSString)
            .appendingPathComponent("parser-\(key).safetensors")
    }
}

/// Whether a parser may be cached in `dir`: sentree can write there, and the directory's mode
/// allows writing to someone. The second half matters for root, whom `access` lets write
/// anywhere: a data directory made read-only (`chmod a-w`, as a shared copy of SST often is)
/// is left alone, and the parser goes to the user cache instead.
func mayCache(in dir: String) -> Bool {
    guard FileManager.default.isWritableFile(atPath: dir),
        let mode = (try? FileManager.default.attributesOfItem(atPath: dir))?[.posixPermissions] as? Int
    else { return false }
    return mode & 0o222 != 0
}

/// 64-bit FNV-1a: a cheap, stable content key (not for security).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ data: Data) {
        var v = value
        data.withUnsafeBytes { bytes in
            for b in bytes {
                v ^= UInt64(b)
                v = v &* 0x0000_0100_0000_01b3
            }
        }
        value = v
    }
}

/// Where `parser train` caches the parser for a data directory, and `parse` looks for it.
func defaultParserPath(_ dataDirectory: String) -> String {
    (dataDirectory as NSString).appendingPathComponent("parser.safetensors")
}

/// GloVe 50d beside the data directory (`DATA/../glove/glove.6B.50d*.txt`), or nil.
///
/// Pretrained vectors are worth several F1 points to the parser, whose treebank alone leaves
/// most dev words rare, so training picks them up whenever they sit where `sentree` keeps data.
func defaultParserEmbeddings(_ dataDirectory: String) -> String? {
    let parent = parentPath(dataDirectory) as NSString
    let dir = parent.appendingPathComponent("glove")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.sorted().first { $0.hasPrefix("glove.6B.50d") && $0.hasSuffix(".txt") }
        .map { (dir as NSString).appendingPathComponent($0) }
}
