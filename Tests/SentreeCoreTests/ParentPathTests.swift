import Foundation
import Testing
import SentreeCore

@Suite struct ParentPathTests {
    /// The answers `NSString.deletingLastPathComponent` gives, including for the paths on
    /// which that property traps on Linux (one-character components such as `r`, `x/r`).
    @Test func splitsLikeFoundation() {
        let cases: [(String, String)] = [
            ("r", ""), ("run", ""), ("x/r", "x"), ("/r", "/"), ("r/", ""), ("a/b/", "a"),
            ("runs/rnn-1", "runs"), ("/tmp//x", "/tmp"), ("./r", "."), ("/", "/"),
        ]
        for (path, parent) in cases {
            #expect(parentPath(path) == parent, "\(path)")
        }
    }
}
