import Foundation
import Testing
@testable import SentreeDashboard

/// Compares a rendered screen with `Snapshots/<name>.txt`.
///
/// A missing file is written and the test fails, so a new snapshot is always looked at once;
/// `SENTREE_RECORD_SNAPSHOTS=1` rewrites every snapshot after an intended change.
func expectSnapshot(
    _ grid: CellGrid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation,
    file: String = #filePath
) {
    let directory = (file as NSString).deletingLastPathComponent + "/Snapshots"
    let path = directory + "/\(name).txt"
    let actual = grid.text + "\n"
    let record = ProcessInfo.processInfo.environment["SENTREE_RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        Issue.record(
            "recorded snapshot \(name); check it and run the test again", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let row =
            zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        Issue.record(
            """
            snapshot \(name) differs first at row \(row + 1):
              expected: \(row < e.count ? String(e[row]) : "<none>")
              actual:   \(row < a.count ? String(a[row]) : "<none>")
            whole screen:
            \(actual)
            """, sourceLocation: sourceLocation)
    }
}
