import Foundation
import Testing
import ZIPFoundation
@testable import SentreeCore

/// A fresh temporary directory, removed when the value is discarded via `cleanUp()`.
struct Scratch {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sst-\(UUID().uuidString)").path

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    func sub(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `files` (name → contents) into the subdirectory `dir` and returns its path.
    @discardableResult
    func directory(_ dir: String, files: [String: String]) throws -> String {
        let d = sub(dir)
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: (d as NSString).appendingPathComponent(name)))
        }
        return d
    }

    /// Builds a ZIP at `name` holding `entries` (path inside the archive → contents).
    func zip(_ name: String, entries: [String: String]) throws -> String {
        let zipPath = sub(name)
        let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
        for (entryPath, text) in entries.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: entryPath, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position) ..< Int(position) + size)
            }
        }
        return zipPath
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects log lines from `resolve`.
final class LogLines {
    var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
}

private let sstFiles = ["train.txt": "(3 (2 a) (3 b))\n", "dev.txt": "(1 c)\n", "test.txt": "(2 d)\n"]
private let sstEntries = [
    "trees/": "", "trees/train.txt": "(3 (2 a) (3 b))\n", "trees/dev.txt": "(1 c)\n",
    "trees/test.txt": "(2 d)\n", "README.txt": "readme",
]

@Suite struct SSTDataTests {
    func noDownload(_ destination: String) throws { Issue.record("unexpected download to \(destination)") }

    @Test func explicitDirectoryIsValidatedAndUsed() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let good = try s.directory("good", files: sstFiles)
        let log = LogLines()
        #expect(
            try SSTData.resolve(
                explicitDirectory: good, defaultDirectory: s.sub("default"), environment: [:],
                log: log.add, download: noDownload) == good)
        let partial = try s.directory("partial", files: ["train.txt": "(2 a)\n"])
        #expect(
            throws: SSTDataError(
                "--data \(partial): the directory has no dev.txt (it must hold the SST files train.txt and dev.txt)"
            )
        ) {
            try SSTData.resolve(
                explicitDirectory: partial, defaultDirectory: s.sub("default"), environment: [:],
                log: log.add, download: noDownload)
        }
        #expect(throws: SSTDataError("--data \(s.sub("nowhere")): no such directory")) {
            try SSTData.resolve(
                explicitDirectory: s.sub("nowhere"), defaultDirectory: s.sub("default"), environment: [:],
                log: log.add, download: noDownload)
        }
    }

    @Test func existingDefaultDirectoryWins() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let def = try s.directory("data/sst", files: sstFiles)
        let shared = try s.directory("shared", files: ["train.txt": "other", "dev.txt": "other"])
        let log = LogLines()
        #expect(
            try SSTData.resolve(
                explicitDirectory: nil, defaultDirectory: def, environment: ["SST_DIR": shared],
                log: log.add, download: noDownload) == def)
        #expect(s.read(def + "/train.txt") == sstFiles["train.txt"])
    }

    @Test func sstDirIsCopiedIntoTheDefaultDirectory() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let shared = try s.directory("shared", files: ["train.txt": "T", "dev.txt": "D"])
        let def = s.sub("data/sst")
        let log = LogLines()
        #expect(
            try SSTData.resolve(
                explicitDirectory: nil, defaultDirectory: def, environment: ["SST_DIR": shared],
                log: log.add, download: noDownload) == def)
        #expect(s.read(def + "/train.txt") == "T" && s.read(def + "/dev.txt") == "D")
        #expect(!FileManager.default.fileExists(atPath: def + "/test.txt"))
        #expect(log.lines == ["Copying the SST files from SST_DIR=\(shared) to \(def)"])
        // No staging directories are left beside the target.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.sub("data")) == ["sst"])
    }

    @Test func copyCompletesAPartialDefaultDirectory() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let def = try s.directory("data/sst", files: ["dev.txt": "old", "notes.md": "mine"])
        let shared = try s.directory("shared", files: sstFiles)
        #expect(
            try SSTData.resolve(
                explicitDirectory: nil, defaultDirectory: def, environment: ["SST_DIR": shared],
                log: { _ in }, download: noDownload) == def)
        #expect(s.read(def + "/dev.txt") == sstFiles["dev.txt"])
        #expect(s.read(def + "/test.txt") == sstFiles["test.txt"])
        #expect(s.read(def + "/notes.md") == "mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.sub("data")) == ["sst"])
    }

    @Test func sstDirWithoutFilesFallsBackToDownload() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let shared = try s.directory("shared", files: ["train.txt": "T"])
        let zip = try s.zip("sst.zip", entries: sstEntries)
        let def = s.sub("data/sst")
        let log = LogLines()
        let result = try SSTData.resolve(
            explicitDirectory: nil, defaultDirectory: def, environment: ["SST_DIR": shared],
            log: log.add,
            download: { destination in
                try FileManager.default.copyItem(atPath: zip, toPath: destination)
            })
        #expect(result == def)
        #expect(
            log.lines.first
                == "note: SST_DIR=\(shared) has no dev.txt; downloading the official archive instead")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: def).sorted() == [
                "dev.txt", "test.txt", "train.txt",
            ])
        #expect(try Treebank.load(contentsOf: def + "/train.txt").count == 1)
    }

    @Test func downloadFailureExplainsWhatToDo() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let def = s.sub("data/sst")
        do {
            // Port 1 on the loopback interface refuses connections: exercises the real
            // URLSession path offline.
            _ = try SSTData.resolve(
                explicitDirectory: nil, defaultDirectory: def, environment: [:], log: { _ in },
                download: { try SSTData.downloadArchive(from: "http://127.0.0.1:1/sst.zip", to: $0) })
            Issue.record("expected the download to fail")
        } catch let error as SSTDataError {
            #expect(error.message.hasPrefix("could not download the SST from \(SSTData.archiveURL): "))
            #expect(
                error.message.hasSuffix(
                    "Check the network connection, or set SST_DIR=/dir/with/train.txt,dev.txt (a directory that holds train.txt and dev.txt), or pass --data DIR."
                ))
        }
        #expect(!FileManager.default.fileExists(atPath: def))
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.sub("data")).isEmpty)
    }

    @Test func extractArchiveTakesOnlyTheTreeFiles() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let zip = try s.zip(
            "sst.zip",
            entries: sstEntries.merging(["other/train.txt": "wrong", "trees/evil.txt": "x"]) { a, _ in a })
        let out = s.sub("out")
        try SSTData.extractArchive(zip, into: out)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
                "dev.txt", "test.txt", "train.txt",
            ])
        #expect(s.read(out + "/train.txt") == sstFiles["train.txt"])
        // Extracting again replaces the files instead of failing.
        try SSTData.extractArchive(zip, into: out)
        #expect(s.read(out + "/dev.txt") == sstFiles["dev.txt"])
    }

    @Test func extractArchiveRejectsWrongArchives() throws {
        let s = try Scratch(); defer { s.cleanUp() }
        let zip = try s.zip("other.zip", entries: ["trees/train.txt": "T"])
        #expect(
            throws: SSTDataError(
                "\(zip) has no trees/dev.txt; is it the SST archive trainDevTestTrees_PTB.zip?")
        ) {
            try SSTData.extractArchive(zip, into: s.sub("out"))
        }
        let notZip = s.sub("not.zip")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notZip))
        let error = #expect(throws: SSTDataError.self) {
            try SSTData.extractArchive(notZip, into: s.sub("out2"))
        }
        #expect(error?.message.hasPrefix("cannot open \(notZip) as a ZIP archive: ZIP error ") == true)
    }
}
