import Foundation
import Testing
@testable import SentreeCore

/// The parser's character encoder: its characters, its file format, and that a parser
/// without it is the parser from before it existed.
struct ParserCharacterTests {
    /// Six trees with capitals, hyphens, digits, punctuation and a scalar beyond ASCII.
    static let treebank = """
        (3 (2 The) (3 (3 film) (2 (2 is) (3 good))))
        (1 (2 (2 A) (1 dull)) (2 (2 ,) (1 (2 over-long) (1 (2 story) (2 .)))))
        (4 (2 Café) (4 (2 (2 3) (2 stars)) (3 (2 !) (2 -RRB-))))
        (2 (2 (2 It) (2 (2 's) (2 (2 a) (2 movie)))) (2 .))
        (3 (3 (2 Un-Hollywood) (3 fun)) (2 (2 and) (3 (2 (2 well) (2 acted)) (2 .))))
        (1 (1 (2 Bad) (2 plot)) (2 (2 ...) (1 (2 truly) (1 awful))))

        """

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sentree-\(getpid())-chars-\(name)")
            .path
    }

    /// FNV-1a over the bits of every tensor, in layout order.
    func fingerprint(_ parser: SpanParser) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for t in parser.layout.tensors {
            for v in parser.parameters[t.offset ..< t.offset + t.shape.reduce(1, *)] {
                for k in 0 ..< 4 {
                    h ^= UInt64(v.bitPattern >> (8 * UInt32(k)) & 0xFF)
                    h = h &* 0x100_0000_01b3
                }
            }
        }
        return h
    }

    func train(charChannels: Int) throws -> SpanParser {
        let bank = try Treebank.parse(Self.treebank, source: "chars")
        var options = ParserTrainingOptions()
        options.epochs = 1; options.batchSize = 4; options.threads = 1
        options.config.hidden = 16; options.config.spanHidden = 16
        options.config.charChannels = charChannels
        return try ParserTraining.train(train: bank, dev: bank, options: options) { _ in }.parser
    }

    /// Without characters, training gives the weights of the parser before the encoder
    /// existed, bit for bit: the fingerprint is that of the file written by commit 9e7d490's
    /// `sentree parser train --data D --embeddings none --hidden 16 --span-hidden 16
    /// --epochs 1 --batch-size 4 --threads 1` with `treebank` as D/train.txt and D/dev.txt.
    /// (A compiler or kernel change that rounds differently moves it too; re-pin from that
    /// commit's binary then.)
    @Test func withoutCharactersTrainingIsAsBefore() throws {
        let parser = try train(charChannels: 0)
        #expect(parser.features.characters == nil)
        #expect(parser.layout.tensors.count == 13)
        #expect(parser.parameters != parser.layout.initialParameters(seed: 1))
        #expect(fingerprint(parser) == 0x0073_d7dd_7770_fa70)
    }

    @Test func charactersAreCountedFramedAndCut() throws {
        let characters = ParserCharacters.build(from: [["aab", "ba"], ["é", "c"]])
        // a ×3, b ×2 kept (most frequent first); é and c seen once are unknown.
        #expect(characters.scalars == [97, 98])
        var ids: [Int32] = []
        characters.append("abé", to: &ids)
        #expect(ids == [1, 5, 6, 0, 2])
        ids = []
        characters.append("", to: &ids)
        #expect(ids == [1, 0, 2])
        ids = []
        characters.append(String(repeating: "a", count: 40), to: &ids)
        #expect(ids.count == ParserCharacters.maximumWordLength + 2)

        let features = ParserFeatures.build(from: [["aab", "ba"]], characters: true)
        let e = features.encode(["ba", "x"])
        #expect(e.characterStart == [0, 3, 7, 10, 13])
        #expect(e.characters == [1, 3, 2, 1, 6, 5, 2, 1, 0, 2, 1, 4, 2])
        #expect(ParserFeatures.build(from: [["aab"]]).encode(["aab"]).characters.isEmpty)
    }

    @Test func fileRoundTripsTheEncoder() throws {
        let parser = try train(charChannels: 16)
        #expect(parser.features.characters != nil && parser.layout.tensors.count == 16)
        let path = temporaryPath("round.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(parser, to: path)
        let m = try metadata(path)
        #expect(m["format_version"] == "3" && m["char_channels"] == "16" && m["char_dim"] == "16")
        let again = try ParserFile.read(from: path)
        #expect(again.layout == parser.layout && again.features == parser.features)
        #expect(again.parameters == parser.parameters)
        #expect(again.info["char_channels"] == nil && again.info["characters"] == nil)
        let sentences = [["Un-Hollywood", "café", "is", "über", "good", "."], ["3", "dull", "stars"]]
        #expect(again.parse(sentences) == parser.parse(sentences))
    }

    /// A parser without characters is written as before (version 2, no character keys), and
    /// such a file reads as a parser without characters.
    @Test func fileWithoutCharactersIsVersion2() throws {
        let parser = try train(charChannels: 0)
        let path = temporaryPath("off.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(parser, to: path)
        let m = try metadata(path)
        #expect(m["format_version"] == "2")
        #expect(m["char_channels"] == nil && m["char_dim"] == nil && m["characters"] == nil)
        let again = try ParserFile.read(from: path)
        #expect(again.layout.config.charChannels == 0 && again.features.characters == nil)
        #expect(again.parameters == parser.parameters)
    }

    @Test(arguments: [
        ("char_channels", "20", "character channels 20 is not 0 or a multiple of 16"),
        ("char_channels", "0", "'char_channels' is 0, expected a positive number"),
        ("char_channels", "many", "'char_channels' is missing or not a number"),
        ("char_dim", "0", "character vector width 0"),
        ("characters", "[97, -1]", "'characters' is missing or not a list of character codes"),
        ("characters", "[\"a\"]", "'characters' is missing or not a list of character codes"),
        ("characters", "[55296]", "character 55296 is not a Unicode scalar value"),
        ("characters", "[97, 97]", "character 97 appears twice"),
        ("characters", "[]", "tensor 'char_vectors' is F32"),
        ("format_version", "2", "metadata 'char_dim' of a character encoder in a version 2 file"),
    ])
    func corruptCharacterMetadataIsAClearError(key: String, value: String, expected: String) throws {
        let path = temporaryPath("corrupt-\(key)-\(value.count).safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(try train(charChannels: 16), to: path)
        try rewrite(path) { $0[key] = value }
        let error = #expect(throws: ParserFileError.self) { try ParserFile.read(from: path) }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.hasPrefix(path) && message.contains(expected), "\(message)")
    }

    @Test func aVersion3FileWithoutCharacterKeysIsAClearError() throws {
        let path = temporaryPath("v3-no-keys.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(try train(charChannels: 0), to: path)
        try rewrite(path) { $0["format_version"] = "3" }
        let error = #expect(throws: ParserFileError.self) { try ParserFile.read(from: path) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("'char_dim' is missing"))
    }

    func metadata(_ path: String) throws -> [String: String] {
        try SafeTensors.parse(try Data(contentsOf: URL(fileURLWithPath: path)), path: path).metadata
    }

    func rewrite(_ path: String, _ change: (inout [String: String]) -> Void) throws {
        let file = try SafeTensors.parse(try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        var metadata = file.metadata
        change(&metadata)
        let data = try SafeTensors.encode(
            tensors: file.entries.map { ($0.name, $0.shape, SafeTensors.floats($0, in: file.data)) },
            metadata: metadata)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
