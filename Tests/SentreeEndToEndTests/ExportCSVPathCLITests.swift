import Foundation
import Testing

/// `export --csv` where no file can be written says why in plain words, before any run is
/// read; a directory used to give "The operation could not be completed.
/// (NSCocoaErrorDomain error 512.)".
@Suite struct ExportCSVPathCLITests {
    @Test func aDirectoryOrAMissingDirectoryIsAClearError() throws {
        let run = try trained().run
        let r = try sentree(["export", run, "--csv", run])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(run): is a directory; give a file path"), "\(r.stderr)")
        let missing = run + "/no-such-directory/rows.csv"
        let m = try sentree(["export", run, "--csv", missing])
        #expect(m.status == 1, "\(m.stderr)")
        #expect(m.stderr.contains("\(missing): cannot create"), "\(m.stderr)")
        #expect(m.stderr.contains("No such file or directory"), "\(m.stderr)")
        #expect(!m.stderr.contains("NSCocoaErrorDomain"), "\(m.stderr)")
    }

    @Test func theCSVIsStillWritten() throws {
        let run = try trained().run
        let out = NSTemporaryDirectory() + "/sentree-export-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try sentree(["export", run, "--csv", out])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 5, "\(text)")
    }
}
