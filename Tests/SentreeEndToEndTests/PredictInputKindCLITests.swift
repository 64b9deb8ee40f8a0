import Foundation
import Testing

/// `predict --input DIR` says the path is a directory; it said "cannot read DIR:1: Is a
/// directory", as if line 1 of a file were at fault.
@Suite struct PredictInputKindCLITests {
    @Test func aDirectoryIsNamedAsOne() throws {
        let shared = try trained()
        let r = try sentree([
            "predict", "--checkpoint", shared.run, "--parser", "none", "--input", shared.data,
        ])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(
            r.stderr.contains("--input \(shared.data): is a directory, not a file of inputs"), "\(r.stderr)")
        #expect(!r.stderr.contains(":1:"), "\(r.stderr)")
    }
}
