import Foundation

/// Why a parser file cannot be written or read.
public struct ParserFileError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A span parser on disk: a safetensors file whose tensors are the weights (`ParserLayout`
/// names) and whose metadata holds the format, sizes, vocabularies and `info`.
///
/// Written atomically (temp file, fsync, rename), so a crash leaves the old file or the new
/// one. Reading checks the format tag and version, every size and shape, and the word lists,
/// so a corrupt or foreign file gives an error naming what is wrong, never a crash.
public enum ParserFile {
    public static let format = "sentree-span-parser"
    /// 2: separate start and end projections of the fenceposts (`span_w1` is [2h × 2H]) and
    /// the number of BiLSTM layers (`layers`).
    /// 3: a character encoder (`char_dim`, `char_channels`, `characters`, tensors `char_*`).
    /// A parser without one is still written as version 2, its file unchanged, so every
    /// sentree that reads version 2 reads it; those refuse a version-3 file by its version,
    /// with the advice to train a new parser, rather than by the shape of `forward_wx` (wider
    /// by the encoder's channels), which would not say why.
    public static let version = 3
    public static let versionWithoutCharacters = 2

    /// Refuses `path` before training when `write(_:to:)` could not write there, with the
    /// same message: training takes minutes and its result would be lost.
    public static func checkWritable(_ path: String) throws {
        do {
            try AtomicFile.checkWritable(path)
        } catch {
            throw ParserFileError("cannot write the parser to \(path): \(error)")
        }
    }

    public static func write(_ parser: SpanParser, to path: String) throws {
        let c = parser.layout.config
        func json(_ words: [String]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: words), as: UTF8.self)
        }
        var metadata = parser.info
        metadata["format"] = format
        metadata["format_version"] = String(c.hasCharacters ? version : versionWithoutCharacters)
        metadata["word_dim"] = String(c.wordDim)
        metadata["suffix_dim"] = String(c.suffixDim)
        metadata["shape_dim"] = String(c.shapeDim)
        metadata["hidden"] = String(c.hidden)
        metadata["layers"] = String(c.layers)
        metadata["span_hidden"] = String(c.spanHidden)
        metadata["words"] = try json(parser.features.words.words)
        metadata["suffixes"] = try json(parser.features.suffixes.words)
        if let characters = parser.features.characters {
            metadata["char_dim"] = String(c.charDim)
            metadata["char_channels"] = String(c.charChannels)
            metadata["characters"] = String(
                decoding: try JSONSerialization.data(withJSONObject: characters.scalars.map(Int.init)),
                as: UTF8.self)
        }
        let tensors = parser.layout.tensors.map { t in
            let n = t.shape.reduce(1, *)
            return (name: t.name, shape: t.shape, values: Array(parser.parameters[t.offset ..< t.offset + n]))
        }
        let data = try SafeTensors.encode(tensors: tensors, metadata: metadata)
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw ParserFileError("cannot write the parser to \(path): \(error)")
        }
    }

    public static func read(from path: String) throws -> SpanParser {
        func fail(_ message: String) -> ParserFileError { ParserFileError("\(path): \(message)") }
        let data: Data
        do {
            data = try RegularFile.contents(of: path)
        } catch {
            throw fail(error.message == "no such file" ? "no such parser file" : error.message)
        }
        let file: SafeTensors.File
        do {
            file = try SafeTensors.parse(data, path: path)
        } catch {
            throw ParserFileError("\(error) (not a sentree parser file?)")
        }
        let m = file.metadata
        guard m["format"] == format else {
            throw fail(
                "not a sentree parser file (format \(m["format"].map { "'\($0)'" } ?? "missing"), "
                    + "expected '\(format)'); a model checkpoint goes to --checkpoint, not --parser")
        }
        let fileVersion = m["format_version"]
        guard fileVersion == String(version) || fileVersion == String(versionWithoutCharacters) else {
            throw fail(
                "parser format version \(fileVersion ?? "missing") is not supported "
                    + "(this sentree reads versions \(versionWithoutCharacters) and \(version)); "
                    + "train a new one with `sentree parser train`")
        }
        let withCharacters = fileVersion == String(version)
        func int(_ key: String) throws -> Int {
            guard let s = m[key], let v = Int(s) else {
                throw fail("metadata '\(key)' is missing or not a number")
            }
            return v
        }
        func list(_ key: String) throws -> [String] {
            guard let s = m[key], let v = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String]
            else {
                throw fail("metadata '\(key)' is missing or not a list of words")
            }
            return v
        }
        func scalars(_ key: String) throws -> [UInt32] {
            let problem = fail("metadata '\(key)' is missing or not a list of character codes")
            guard let s = m[key], let v = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [Int]
            else { throw problem }
            let values = v.compactMap(UInt32.init(exactly:))
            guard values.count == v.count else { throw problem }
            return values
        }
        var config = ParserConfig()
        config.wordDim = try int("word_dim")
        config.suffixDim = try int("suffix_dim")
        config.shapeDim = try int("shape_dim")
        config.hidden = try int("hidden")
        config.layers = try int("layers")
        config.spanHidden = try int("span_hidden")
        let characterKeys = ["char_dim", "char_channels", "characters"]
        if withCharacters {
            config.charDim = try int("char_dim")
            config.charChannels = try int("char_channels")
            guard config.charChannels > 0 else {
                throw fail("metadata 'char_channels' is \(config.charChannels), expected a positive number")
            }
        } else if let key = characterKeys.first(where: { m[$0] != nil }) {
            throw fail(
                "metadata '\(key)' of a character encoder in a version \(versionWithoutCharacters) file")
        }
        if let problem = config.problem { throw fail("invalid sizes: \(problem)") }
        let features: ParserFeatures
        do {
            let words = try Vocabulary(validating: try list("words"), lowercase: true)
            guard words.count > 2, words.words[1] == ParserFeatures.start,
                words.words[2] == ParserFeatures.end
            else {
                throw fail("word list does not start with <unk>, <s>, </s>")
            }
            features = ParserFeatures(
                words: words,
                suffixes: try Vocabulary(validating: try list("suffixes"), lowercase: true),
                characters: withCharacters ? try ParserCharacters(validating: try scalars("characters")) : nil
            )
        } catch let error as VocabularyError {
            throw fail(error.message)
        }
        let layout = ParserLayout(
            config: config, wordCount: features.words.count,
            suffixCount: features.suffixes.count, characterCount: features.characters?.count ?? 0)
        var parameters = [Float](repeating: 0, count: layout.count)
        for t in layout.tensors {
            guard let entry = file.entry(t.name) else { throw fail("tensor '\(t.name)' is missing") }
            guard entry.dtype == "F32", entry.shape == t.shape else {
                throw fail("tensor '\(t.name)' is \(entry.dtype) \(entry.shape), expected F32 \(t.shape)")
            }
            let values = SafeTensors.floats(entry, in: file.data)
            guard values.allSatisfy(\.isFinite) else {
                throw fail("tensor '\(t.name)' holds NaN or infinite values")
            }
            parameters.replaceSubrange(t.offset ..< t.offset + values.count, with: values)
        }
        let known = Set(
            [
                "format", "format_version", "word_dim", "suffix_dim", "shape_dim", "hidden", "layers",
                "span_hidden", "words", "suffixes",
            ] + characterKeys)
        return SpanParser(
            features: features, layout: layout, parameters: parameters,
            info: m.filter { !known.contains($0.key) })
    }
}
