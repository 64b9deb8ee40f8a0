import Foundation
import Testing
@testable import SentreeCore

/// Files named from outside that are not what they claim (issue #18, items 7, 9 and 22).
@Suite struct HostileFileTests {
    let dir: String
    init() throws { dir = try makeTemporaryDirectory("sentree-hostile-files") }

    func fifo(_ name: String) throws -> String {
        let path = dir + "/" + name
        try #require(mkfifo(path, 0o600) == 0)
        return path
    }

    /// Opening a FIFO for reading waited forever for a writer; now every reader refuses it
    /// at once, as it does a directory or a device.
    @Test func aFIFOIsRefusedByEveryReaderWithoutBlocking() throws {
        let path = try fifo("pipe")
        let expected = "is a named pipe (FIFO), not a regular file"
        #expect(throws: FileProblem(path: path, message: expected)) { try RegularFile.contents(of: path) }
        #expect(throws: FileProblem(path: dir, message: "is a directory, not a regular file")) {
            try RegularFile(dir)
        }
        #expect(throws: FileProblem(path: "/dev/null", message: "is a character device, not a regular file"))
        {
            try RegularFile("/dev/null")
        }
        let treebank = #expect(throws: TreebankError.self) { try Treebank.load(contentsOf: path) }
        #expect(treebank?.message == expected)
        let vectors = #expect(throws: InputError.self) {
            try EmbeddingsReader.read(contentsOf: path, words: ["the"])
        }
        #expect(vectors?.message == expected)
        let width = #expect(throws: InputError.self) { try PretrainedVectors.dimension(of: path) }
        #expect(width?.message == expected)
        let checkpoint = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: path) }
        #expect(checkpoint?.message == expected)
        let run = try makeTemporaryDirectory("sentree-fifo-probes")
        try #require(mkfifo(Probes.path(runDirectory: run), 0o600) == 0)
        #expect(Probes.load(runDirectory: run).problems.first?.contains(expected) == true)
    }

    /// A sparse 2 GiB file whose length field claims 2 GiB of header was read whole (5.3 GB
    /// of memory); the length is checked before anything else is read.
    @Test func aHeaderLengthOfGigabytesIsRefusedUnread() throws {
        let path = dir + "/best.safetensors"
        let size = 2 << 30
        try #require(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: withUnsafeBytes(of: UInt64(size - 8).littleEndian) { Data($0) })
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
        let start = Date()
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: path) }
        #expect(
            error?.message.contains("is more than the limit of 268435456 bytes (256 MiB)") == true,
            "\(error!)")
        #expect(Date().timeIntervalSince(start) < 1)
    }

    /// Bytes after the last tensor are not read (a 6 GiB file took over 30 s).
    @Test func bytesAfterTheLastTensorAreRefused() throws {
        var config = TrainingConfig()
        config.dim = 2
        let model = ModelConfig(kind: .rnn, dim: 2, vocabularySize: 2)
        let layout = ParameterLayout(model)
        let good = try Checkpoint(
            config: config, model: model, parameters: Array(repeating: 0.5, count: layout.count),
            optimizerState: [], vocabulary: ["<unk>", "a"], lowercase: true,
            progress: TrainingProgress(
                epochsCompleted: 0, stepInEpoch: 0, globalStep: 0, learningRate: 0.01, bestFineRoot: -1,
                bestEpoch: 0, elapsedSeconds: 0),
            history: []
        ).encoded()
        let path = dir + "/last.safetensors"
        try good.write(to: URL(fileURLWithPath: path))
        #expect(try Checkpoint.read(from: path).parameters.count == layout.count)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(good.count + (1 << 30)))
        try handle.close()
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: path) }
        #expect(error?.message.hasPrefix("1073741824 bytes after the last tensor's data") == true)
    }

    /// The width of a vectors file comes from its whole first line: a row of 100,000 values
    /// read as 16,383-dimensional (only 64 KiB were read).
    @Test func theWidthReadsTheWholeFirstLine() throws {
        let path = dir + "/wide.txt"
        let row = "the " + Array(repeating: "0.1", count: 100_000).joined(separator: " ") + "\n"
        try row.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try PretrainedVectors.dimension(of: path) == 100_000)
        let error = #expect(throws: InputError.self) {
            try PretrainedVectors.dimension(of: path, maximum: 65_535)
        }
        #expect(
            error?.description == "\(path):1:1: a row of 100000 values: vectors wider than 65535 are refused")
        let header = dir + "/header.txt"
        try "1 999999999999\nthe 0.1\n".write(toFile: header, atomically: true, encoding: .utf8)
        let claimed = #expect(throws: InputError.self) {
            try PretrainedVectors.dimension(of: header, maximum: 65_535)
        }
        #expect(
            claimed?.description == "\(header):1:3: dimension 999999999999 in the header is outside 1-65535")
    }
}
