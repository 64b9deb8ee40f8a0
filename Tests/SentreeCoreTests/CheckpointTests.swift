import Foundation
import Testing
@testable import SentreeCore
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Helpers

/// Deterministic, varied parameter values, including the awkward ones (signed zero,
/// subnormals, extremes) that a lossy encoding would change.
private func parameterValues(_ count: Int, seed: UInt32) -> [Float] {
    let special: [Float] = [
        -0.0, 0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, 1e-30, 0.1, -1 / 3,
    ]
    var state = seed
    return (0 ..< count).map { i in
        if i < special.count { return special[i] }
        state = state &* 1_664_525 &+ 1_013_904_223
        return Float(bitPattern: (state >> 9) | 0x3F00_0000) * (i % 2 == 0 ? 1 : -1) - 0.75
    }
}

private let testVocabulary = [
    "<unk>", "the", "café", "8\u{00A0}1\\/2", "naïve", "日本語", "😀", "-LRB-", "Ünïcode",
]

/// A small but complete checkpoint.
private func makeCheckpoint(
    kind: ModelKind, optimizer: OptimizerKind = .adagrad, lowercase: Bool = true
) -> Checkpoint {
    var config = TrainingConfig()
    config.model = kind
    config.dim = 3
    config.middle = kind == .rnn2 ? 4 : nil
    config.epochs = 7
    config.learningRate = 0.0125
    config.optimizer = optimizer
    config.seed = 99
    config.lowercase = lowercase
    let model = ModelConfig(kind: kind, dim: 3, middle: config.middle, vocabularySize: testVocabulary.count)
    let layout = ParameterLayout(model)
    let progress = TrainingProgress(
        epochsCompleted: 2, stepInEpoch: 3, globalStep: 17, learningRate: 0.0125,
        bestFineRoot: 0.3141592653589793, bestEpoch: 1, elapsedSeconds: 12.345678901234)
    let history = [
        EpochRecord(
            epoch: 1, trainLoss: 1.6094379124341003, fineAll: 0.7, fineRoot: 0.3141592653589793,
            binaryRoot: 0.55, binaryAll: 0.8000000000000002, seconds: 1.25, treesPerSecond: 1234.5,
            learningRate: 0.0125),
        EpochRecord(
            epoch: 2, trainLoss: 1.1, fineAll: 0.71, fineRoot: 0.3, binaryRoot: 0.5, binaryAll: 0.81,
            seconds: 1.5, treesPerSecond: 999.9, learningRate: 0.0125),
    ]
    return Checkpoint(
        config: config, model: model, parameters: parameterValues(layout.count, seed: 1),
        optimizerState: optimizer == .adagrad ? parameterValues(layout.count, seed: 2).map(abs) : [],
        vocabulary: testVocabulary, lowercase: lowercase, progress: progress, history: history)
}

/// The decoding error for `bytes`, or nil if they decode (a crash fails the whole run).
private func decodeError(_ bytes: Data) -> CheckpointError? {
    do {
        _ = try Checkpoint.decode(bytes, path: "x.safetensors")
        return nil
    } catch let error as CheckpointError {
        return error
    } catch {
        Issue.record("unexpected error type \(type(of: error)): \(error)")
        return nil
    }
}

/// Header length N of an encoded file.
private func headerLength(_ bytes: Data) -> Int {
    bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
}

/// Re-encodes a file after editing its tensors' shapes and metadata (the data section, and so
/// the CRC, stays the same).
private func reencode(
    _ bytes: Data, shapes: [String: [Int]] = [:],
    metadata edit: (inout [String: String]) -> Void = { _ in }
) throws -> Data {
    let file = try SafeTensors.parse(bytes, path: "x")
    var metadata = file.metadata
    edit(&metadata)
    let tensors = file.entries.map {
        ($0.name, shapes[$0.name] ?? $0.shape, SafeTensors.floats($0, in: file.data))
    }
    // A consistent writer of a wrong file: the header checksum (when the edit kept one) is
    // made anew, so each test reaches the check it is about, not the checksum.
    guard metadata["crc32_header"] != nil else {
        return try SafeTensors.encode(tensors: tensors, metadata: metadata)
    }
    let draft = try SafeTensors.parse(try SafeTensors.encode(tensors: tensors, metadata: metadata), path: "x")
    metadata["crc32_header"] = String(Checkpoint.headerChecksum(entries: draft.entries, metadata: metadata))
    return try SafeTensors.encode(tensors: tensors, metadata: metadata)
}

/// A hand-written safetensors file with this header JSON.
private func rawFile(header: String, data: Data = Data()) -> Data {
    var json = Data(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    var out = Data()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
    return out + json + data
}

private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// Reference CRC-32 (IEEE 802.3, as zlib), bit by bit.
private func crc32(_ data: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
        crc ^= UInt32(byte)
        for _ in 0 ..< 8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

// MARK: - Round trip

@Suite struct CheckpointRoundTripTests {
    @Test(arguments: [ModelKind.rnn, .rnn2])
    func roundTripsEveryField(kind: ModelKind) throws {
        let original = makeCheckpoint(kind: kind)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try original.write(to: dir + "/c.safetensors")
        let read = try Checkpoint.read(from: dir + "/c.safetensors")

        #expect(bits(read.parameters) == bits(original.parameters))
        #expect(bits(read.optimizerState) == bits(original.optimizerState))
        #expect(read.optimizerState.count == ParameterLayout(original.model).count)
        #expect(read.parameters[0].sign == .minus && read.parameters[0] == 0)
        #expect(read.vocabulary == testVocabulary)
        #expect(read.vocabulary[3].unicodeScalars.contains("\u{00A0}"))
        #expect(read.history == original.history)
        #expect(read.progress == original.progress)
        #expect(read.config == original.config)
        #expect(read.model == original.model)
        #expect(read.lowercase)
        #expect(read == original)
    }

    @Test func tensorsAreStoredUnderTheirLayoutNamesAndShapes() throws {
        let ckpt = makeCheckpoint(kind: .rnn2)
        let file = try SafeTensors.parse(try ckpt.encoded(), path: "x")
        let layout = ParameterLayout(ckpt.model)
        #expect(layout.tensors.map(\.name) == ["L", "W", "b", "W2", "b2", "U", "bs"])
        for t in layout.tensors {
            let e = try #require(file.entry(t.name))
            #expect(e.dtype == "F32" && e.shape == t.shape)
            #expect(bits(SafeTensors.floats(e, in: file.data)) == bits(Array(ckpt.parameters[t.range])))
            let a = try #require(file.entry("adagrad." + t.name))
            #expect(bits(SafeTensors.floats(a, in: file.data)) == bits(Array(ckpt.optimizerState[t.range])))
        }
        #expect(file.metadata["format"] == "sentree-checkpoint")
        #expect(file.metadata["format_version"] == "3")
        #expect(file.metadata["lowercase"] == "true")
        #expect(headerLength(try ckpt.encoded()) % 8 == 0)
    }

    @Test func sgdWithoutOptimizerStateAndKeptCase() throws {
        let original = makeCheckpoint(kind: .rnn, optimizer: .sgd, lowercase: false)
        let bytes = try original.encoded()
        let file = try SafeTensors.parse(bytes, path: "x")
        #expect(!file.entries.contains { $0.name.hasPrefix("adagrad.") })
        let read = try Checkpoint.decode(bytes, path: "x")
        #expect(read.optimizerState.isEmpty)
        #expect(read.config.optimizer == .sgd)
        #expect(read.lowercase == false)
        #expect(file.metadata["lowercase"] == "false")
        #expect(bits(read.parameters) == bits(original.parameters))
        #expect(read == original)
    }

    @Test func encodingIsDeterministic() throws {
        let ckpt = makeCheckpoint(kind: .rnn)
        #expect(try ckpt.encoded() == ckpt.encoded())
    }
}

// MARK: - Corruption

@Suite struct CheckpointCorruptionTests {
    /// A checkpoint with a NaN or an infinity and a valid checksum (written by hand, or by
    /// a tool) is refused by name, where `predict` used to print `nan` with exit 0.
    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeightsAreRefused(_ value: Float) throws {
        var checkpoint = makeCheckpoint(kind: .rnn)
        let layout = ParameterLayout(checkpoint.model)
        checkpoint.parameters[layout.U.offset + 1] = value
        let error = decodeError(try checkpoint.encoded())
        #expect(
            error?.message.contains("tensor 'U' holds 1 values that are not finite") == true,
            "\(String(describing: error))")
    }

    let bytes: Data
    let n: Int

    init() throws {
        bytes = try makeCheckpoint(kind: .rnn2).encoded()
        n = headerLength(bytes)
    }

    @Test func theUncorruptedFileDecodes() throws {
        #expect(decodeError(bytes) == nil)
    }

    @Test func truncationAtAnyPointIsAnError() throws {
        let dataLength = bytes.count - 8 - n
        let cuts = [
            0, 1, 4, 7, 8, 9, 8 + n / 2, 8 + n - 1, 8 + n, 8 + n + 1, 8 + n + dataLength / 2, bytes.count - 1,
        ]
        for cut in cuts {
            let error = decodeError(bytes.prefix(cut))
            #expect(error != nil, "truncated to \(cut) of \(bytes.count) bytes")
            #expect(error?.path == "x.safetensors")
        }
        #expect(decodeError(bytes.prefix(4))?.message.contains("truncated") == true)
        #expect(decodeError(bytes.prefix(8 + n / 2))?.message.contains("header length") == true)
        #expect(decodeError(bytes.prefix(bytes.count - 1))?.message.contains("truncated") == true)
    }

    @Test func everyTruncationOfASmallFileIsAnError() throws {
        // Exhaustive over one small file: no prefix decodes, none crashes.
        let small = try makeCheckpoint(kind: .rnn, optimizer: .sgd).encoded()
        for cut in stride(from: 0, to: small.count, by: 7) {
            #expect(decodeError(small.prefix(cut)) != nil, "truncated to \(cut)")
        }
    }

    @Test func flippedDataByteFailsTheChecksum() throws {
        for position in [8 + n, 8 + n + (bytes.count - 8 - n) / 2, bytes.count - 1] {
            var corrupted = bytes
            corrupted[position] ^= 0x10
            let error = try #require(decodeError(corrupted))
            #expect(error.message.contains("checksum"), "\(error)")
        }
    }

    @Test func garbageHeaderIsAnError() throws {
        var corrupted = bytes
        let garbage = Data(repeating: UInt8(ascii: "#"), count: n)
        corrupted.replaceSubrange(8 ..< 8 + n, with: garbage)
        #expect(decodeError(corrupted)?.message.contains("not a JSON object") == true)

        // Valid JSON that is not an object.
        #expect(decodeError(rawFile(header: "[1, 2, 3]"))?.message.contains("not a JSON object") == true)
        // Random bytes of plausible size.
        var random = SystemRandomNumberGenerator()
        for _ in 0 ..< 20 {
            let junk = Data((0 ..< 64).map { _ in UInt8.random(in: 0 ... 255, using: &random) })
            #expect(decodeError(junk) != nil)
        }
    }

    @Test func headerLengthLargerThanTheFileIsAnError() throws {
        for claimed in [UInt64(bytes.count), UInt64(bytes.count - 7), UInt64.max, UInt64(Int.max)] {
            var corrupted = bytes
            withUnsafeBytes(of: claimed.littleEndian) { corrupted.replaceSubrange(0 ..< 8, with: $0) }
            let error = try #require(decodeError(corrupted))
            let expected =
                claimed > UInt64(SafeTensors.maximumHeaderBytes)
                ? "more than the limit" : "exceeds the file size"
            #expect(error.message.contains(expected), "\(error)")
        }
    }

    @Test func wrongFormatStringIsAnError() throws {
        let other = try reencode(bytes) { $0["format"] = "pytorch" }
        #expect(decodeError(other)?.message.contains("not a sentree checkpoint") == true)
        let missing = try reencode(bytes) { $0["format"] = nil }
        #expect(decodeError(missing)?.message.contains("not a sentree checkpoint") == true)
    }

    /// Files from before version 3 (no header checksum; before 2 rnn and rnn2 only, no
    /// `embeddings`) read the same.
    @Test(arguments: ["1", "2"]) func olderVersionsStillLoad(_ version: String) throws {
        let old = try reencode(bytes) {
            $0["format_version"] = version
            $0["crc32_header"] = nil
        }
        #expect(try Checkpoint.decode(old, path: "old") == Checkpoint.decode(bytes, path: "new"))
    }

    /// Before version 3 one changed byte in the metadata loaded without complaint and gave
    /// wrong results (#18 item 19): a vocabulary word, the epochs done, a setting.
    @Test(arguments: [#"[\"<unk>\",\""#, #"\"epochsCompleted\":"#, #""lowercase":""#])
    func aChangedHeaderByteIsCaught(_ marker: String) throws {
        // The byte after `marker`: a vocabulary word's first letter, the epochs' first digit,
        // the first letter of `true`. Each change keeps the JSON well formed.
        var changed = bytes
        let range = try #require(changed.range(of: Data(marker.utf8)), "\(marker) not in the header")
        let byte = changed[range.upperBound]
        let isDigit = (0x30 ... 0x39).contains(byte)
        changed[range.upperBound] = isDigit ? 0x30 + (byte - 0x30 + 1) % 10 : byte ^ 0x20
        #expect(changed.count == bytes.count)
        let error = try #require(decodeError(changed))
        #expect(error.message.contains("checksum mismatch: the header"), "\(error)")
    }

    @Test func newerFormatVersionAsksToUpgrade() throws {
        let newer = try reencode(bytes) { $0["format_version"] = "4" }
        let error = try #require(decodeError(newer))
        #expect(error.message.contains("upgrade"), "\(error)")
        #expect(error.message.contains("4"))
        let garbled = try reencode(bytes) { $0["format_version"] = "one" }
        #expect(decodeError(garbled) != nil)
    }

    @Test func tensorWithWrongShapeIsAnError() throws {
        // Same byte count (3×6 vs 6×3), so only the checkpoint's layout check can catch it.
        let transposed = try reencode(bytes, shapes: ["W": [6, 3]])
        let error = try #require(decodeError(transposed))
        #expect(error.message.contains("'W'") && error.message.contains("[3, 6]"), "\(error)")
    }

    @Test func missingTensorIsAnError() throws {
        let file = try SafeTensors.parse(bytes, path: "x")
        let kept = file.entries.filter { $0.name != "U" }
        var data = Data()
        for e in kept { data += file.data.subdata(in: e.range) }
        let withoutU = try reencode(
            SafeTensors.encode(
                tensors: kept.map { ($0.name, $0.shape, SafeTensors.floats($0, in: file.data)) },
                metadata: file.metadata)
        ) { $0["crc32"] = String(crc32(data)) }
        let error = try #require(decodeError(withoutU))
        #expect(error.message == "missing tensor 'U'", "\(error)")
    }

    @Test func checksumIsStandardCRC32OfTheDataSection() throws {
        let file = try SafeTensors.parse(bytes, path: "x")
        #expect(crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(file.metadata["crc32"] == String(crc32(file.data)))
    }

    @Test func vocabularySizeNotMatchingLIsAnError() throws {
        let shorter = try reencode(bytes) { m in
            m["vocabulary"] = String(
                decoding: try! JSONEncoder().encode(Array(testVocabulary.dropLast())), as: UTF8.self)
        }
        let error = try #require(decodeError(shorter))
        #expect(error.message.contains("vocabulary has \(testVocabulary.count - 1) words"), "\(error)")
    }

    @Test func duplicateVocabularyWordIsAnError() throws {
        // The vocabulary type traps on duplicate words, so decoding must reject them.
        var words = testVocabulary
        words[words.count - 1] = "café"
        let duplicated = try reencode(bytes) { m in
            m["vocabulary"] = String(decoding: try! JSONEncoder().encode(words), as: UTF8.self)
        }
        let error = try #require(decodeError(duplicated))
        #expect(error.message.contains("café"), "\(error)")
    }

    /// Words no treebank could hold (#18 item 21): each is refused, naming the file, the
    /// word's index and what is wrong; the word itself never reaches the terminal raw.
    @Test(arguments: [
        ("", "word 3 is empty"), ("two words", "word 3 has a space at byte 3"),
        ("\u{1B}[31mred", #"word 3 '\x1b[31mred' at byte 0: control character U+001B (ESC)"#),
        ("tab\tbed", #"word 3 'tab\tbed' at byte 3"#), ("c1\u{85}", #"word 3 'c1\u{85}' at byte 2"#),
    ])
    func vocabularyWordsATreebankCannotHoldAreRefused(_ word: String, _ expected: String) throws {
        var words = testVocabulary
        words[3] = word
        let bad = try reencode(bytes) { m in
            m["vocabulary"] = String(decoding: try! JSONEncoder().encode(words), as: UTF8.self)
        }
        let error = try #require(decodeError(bad))
        #expect(error.path == "x.safetensors", "\(error)")
        #expect(error.message.contains("metadata 'vocabulary': " + expected), "\(error)")
        #expect(!"\(error)".unicodeScalars.contains { $0.value < 0x20 || (0x7F ... 0x9F).contains($0.value) })
    }

    @Test func malformedMetadataJSONIsAnError() throws {
        for key in ["training_config", "model_config", "progress", "history", "vocabulary"] {
            let broken = try reencode(bytes) { $0[key] = "{not json" }
            #expect(decodeError(broken)?.message.contains("'\(key)'") == true, "\(key)")
        }
    }

    @Test func absurdModelSizesAreErrorsNotCrashes() throws {
        for (key, value) in [
            ("classes", 1 << 62), ("classes", 1 << 40), ("dim", 1 << 62), ("dim", 60000), ("middle", 65535),
            ("vocabularySize", -1),
        ] {
            let broken = try reencode(bytes) { m in
                var model =
                    try! JSONSerialization.jsonObject(with: Data(m["model_config"]!.utf8)) as! [String: Any]
                model[key] = value
                m["model_config"] = String(
                    decoding: try! JSONSerialization.data(withJSONObject: model), as: UTF8.self)
            }
            #expect(decodeError(broken) != nil, "\(key) = \(value)")
        }
    }

    /// A well-formed file whose model has another class count: `sentree predict` used to trap
    /// on it (found by the checkpoint fuzz target; Fuzz/corpus/checkpoint/invalid-classes-7.safetensors).
    @Test(arguments: [1, 4, 7]) func classCountOtherThanFiveIsAnError(classes: Int) throws {
        var checkpoint = makeCheckpoint(kind: .rnn)
        checkpoint.model.classes = classes
        let layout = ParameterLayout(checkpoint.model)
        checkpoint.parameters = parameterValues(layout.count, seed: 3)
        checkpoint.optimizerState = []
        let error = decodeError(try checkpoint.encoded())
        #expect(
            error?.message
                == "model_config has \(classes) classes; sentree models have the 5 SST sentiment classes")
    }

    @Test func hostileTensorHeadersAreErrorsNotCrashes() throws {
        let headers = [
            #"{"L": {"dtype": "F32", "shape": [1073741824, 1073741824, 4], "data_offsets": [0, 0]}}"#,
            #"{"L": {"dtype": "F32", "shape": [2147483647, 2147483647, 2147483647], "data_offsets": [0, 8]}}"#,
            #"{"L": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#,
            #"{"L": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#,
            #"{"L": {"dtype": "F32", "shape": [1], "data_offsets": [0, 400]}}"#,
            #"{"L": {"dtype": "Q9", "shape": [1], "data_offsets": [0, 4]}}"#,
            #"{"L": {"dtype": "F32", "shape": "big", "data_offsets": [0, 4]}}"#,
            #"{"L": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "W": {"dtype": "F32", "shape": [1], "data_offsets": [2, 6]}}"#,
            #"{"__metadata__": {"format": 1}}"#,
        ]
        for header in headers {
            let error = decodeError(rawFile(header: header, data: Data(count: 8)))
            #expect(error != nil, "\(header)")
        }
    }
}

// MARK: - Atomic writes

@Suite struct CheckpointAtomicWriteTests {
    func entries(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    @Test func successLeavesNoTemporaryFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/last.safetensors"
        try makeCheckpoint(kind: .rnn).write(to: path)
        try makeCheckpoint(kind: .rnn2).write(to: path)
        #expect(try entries(dir) == ["last.safetensors"])
        #expect(try Checkpoint.read(from: path).model.kind == .rnn2)
    }

    @Test func failedReplacementLeavesTheOldFileByteIdentical() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/best.safetensors"
        try makeCheckpoint(kind: .rnn).write(to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        // Occupy the temp file's name with a directory: the temp file cannot be created.
        let temp = dir + "/.best.safetensors.\(getpid()).tmp"
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: false)
        let error = #expect(throws: CheckpointError.self) {
            try makeCheckpoint(kind: .rnn2).write(to: path)
        }
        #expect(error?.path == path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Checkpoint.read(from: path).model.kind == .rnn)
        try FileManager.default.removeItem(atPath: temp)
        #expect(try entries(dir) == ["best.safetensors"])
    }

    @Test func failedRenameRemovesTheTemporaryFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The target is a non-empty directory: the temp file is written, the rename fails.
        let target = dir + "/last.safetensors"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: target + "/inside"))
        let error = #expect(throws: CheckpointError.self) {
            try makeCheckpoint(kind: .rnn).write(to: target)
        }
        #expect(error?.message.contains("cannot replace") == true)
        #expect(try entries(dir) == ["last.safetensors"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/inside")) == Data("keep".utf8))
    }

    @Test func missingDirectoryIsAnError() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: CheckpointError.self) {
            try makeCheckpoint(kind: .rnn).write(to: dir + "/no/such/dir/c.safetensors")
        }
        #expect(try entries(dir).isEmpty)
    }

    @Test func readingAMissingFileNamesIt() throws {
        let error = #expect(throws: CheckpointError.self) {
            try Checkpoint.read(from: "/nonexistent/sentree/c.safetensors")
        }
        #expect(error?.description == "/nonexistent/sentree/c.safetensors: no such file")
    }
}

// MARK: - Python interop

@Suite struct CheckpointPythonInteropTests {
    static var numpyAvailable: Bool {
        (try? runPython(["-c", "import numpy"]))?.status == 0
    }

    static func runPython(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    @Test(
        .enabled(if: numpyAvailable, "python3 with numpy is not installed"),
        arguments: [ModelKind.rnn, .rnn2])
    func numpyReadsTheDocumentedFormat(kind: ModelKind) throws {
        let ckpt = makeCheckpoint(kind: kind)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/best.safetensors"
        try ckpt.write(to: path)
        // The reader from Checkpoint.swift's documentation, verbatim apart from the path.
        let script = """
            import json, struct, sys, numpy as np
            raw = open(sys.argv[1], "rb").read()
            n = struct.unpack("<Q", raw[:8])[0]; header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
            def tensor(name):
                t = header[name]; a, b = t["data_offsets"]
                return np.frombuffer(data[a:b], dtype="<f4").reshape(t["shape"])
            vocab = json.loads(header["__metadata__"]["vocabulary"])
            L, W, b, U, bs = (tensor(k) for k in ["L", "W", "b", "U", "bs"])
            out = {"vocab": vocab, "L_shape": list(L.shape), "W_shape": list(W.shape),
                   "W": [float(x) for x in W.flatten()], "W_1_4": float(W[1, 4]),
                   "L_bits": [int(x) for x in L.view("<u4").flatten()], "U_shape": list(U.shape),
                   "crc": int(header["__metadata__"]["crc32"])}
            import zlib
            out["crc_ok"] = zlib.crc32(data) == out["crc"]
            sys.stdout.write(json.dumps(out))
            """
        let result = try Self.runPython(["-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let layout = ParameterLayout(ckpt.model)
        #expect(object["vocab"] as? [String] == testVocabulary)
        #expect(object["L_shape"] as? [Int] == layout.L.shape)
        #expect(object["W_shape"] as? [Int] == [3, 6])
        #expect(object["U_shape"] as? [Int] == [5, ckpt.model.outputWidth])
        let w = try #require(object["W"] as? [Double])
        #expect(w.map(Float.init) == Array(ckpt.parameters[layout.W.range]))
        // Row-major: W[1, 4] is element 1 * 6 + 4.
        #expect((object["W_1_4"] as? Double).map(Float.init) == ckpt.parameters[layout.W.offset + 10])
        let lBits = try #require(object["L_bits"] as? [Int])
        #expect(lBits.map { UInt32($0) } == bits(Array(ckpt.parameters[layout.L.range])))
        #expect(object["crc_ok"] as? Bool == true)
    }
}
