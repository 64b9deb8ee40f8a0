import Foundation
import Testing
@testable import SentreeCore

/// A probes file of 100,000 distinct lines (issue #18, item 11) took 71 s to read: each
/// probe was compared with every one before it. Every probe is kept once, in file order.
@Suite struct ManyProbesTests {
    @Test func oneHundredThousandProbesAreReadOnceEachInOrder() {
        let lines = (0 ..< 100_000).map { "probe number \($0) is fine" }
        let text = (lines + lines.prefix(10)).joined(separator: "\n")
        let loaded = Probes.parse(text, source: "probes.txt")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.probes.count == 100_000)
        #expect(loaded.probes.first?.text == lines[0] && loaded.probes.last?.text == lines[99_999])
    }
}
