import Foundation
import Testing

/// A directory or FIFO given to `parse --parser` or `parse --input` is named for what it is,
/// as for every other file sentree reads; both used to say only "cannot read the file".
@Suite struct ParseFileKindCLITests {
    @Test(arguments: ["--parser", "--input"])
    func aDirectoryIsNamedAsOne(_ flag: String) throws {
        let dir = NSTemporaryDirectory() + "/sentree-kind-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try sentree(["parse", flag, dir] + (flag == "--input" ? ["--parser", "none"] : ["a film"]))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir): is a directory, not a regular file"), "\(r.stderr)")
    }

    @Test func aFIFOParserIsRefusedAtOnce() throws {
        let dir = NSTemporaryDirectory() + "/sentree-kind-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/p", 0o600) == 0)
        let r = try sentree(["parse", "--parser", dir + "/p", "a film"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("is a named pipe (FIFO), not a regular file"), "\(r.stderr)")
    }
}
