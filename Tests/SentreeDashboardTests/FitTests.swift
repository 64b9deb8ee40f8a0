import Testing
@testable import SentreeDashboard

@Suite struct FitTests {
    @Test func textThatFitsStaysWhole() {
        #expect(fit("not bad", width: 7) == "not bad")
        #expect(fit("padded    ", width: 6) == "padded")
        #expect(fit("", width: 3) == "")
    }

    @Test func cutAtAWordBoundaryWithAnEllipsis() {
        #expect(fit("It 's a lovely film with lovely performances", width: 20) == "It 's a lovely film…")
        #expect(fit("It 's a lovely film with lovely performances", width: 21) == "It 's a lovely film…")
        #expect(fit("y = quit, any other key = stay", width: 24) == "y = quit, any other key…")
    }

    @Test func aLongWordIsCutInsideItself() {
        #expect(fit("runs/rntn-20261204-2210", width: 10) == "runs/rntn…")
        #expect(fit("a supercalifragilistic", width: 10) == "a superca…")
        #expect(fit("abc", width: 1) == "…" && fit("abc", width: 0) == "")
    }

    @Test func widthLimitedPutFitsAndGridEdgesStillClip() {
        var grid = CellGrid(width: 30, height: 2)
        grid.put("probe:1:15: expected ')' to close", x: 0, y: 0, maxWidth: 25)
        #expect(grid.line(0).hasPrefix("probe:1:15: expected ')'…"))
        grid.put(String(repeating: "─", count: 40), x: 0, y: 1)
        #expect(grid.line(1) == String(repeating: "─", count: 30))
    }

    @Test func asciiDrawsTheEllipsisAsATilde() {
        var grid = CellGrid(width: 10, height: 1)
        grid.put("lovely performances", x: 0, y: 0, maxWidth: 10)
        grid.makeASCII()
        #expect(grid.line(0) == "lovely~   ")
    }
}

@Suite struct StatusFitTests {
    /// A long probe error ends in `…` one column before the edge, where ncurses still draws.
    @Test func probeErrorIsCutVisibly() throws {
        var s = try Fixture.state()
        _ = s.handle(.char("i"))
        // Neither a tree nor a sentence: the control character.
        for c in "(3 (2 not) (1 b\u{7}ad) and then more words here" { _ = s.handle(.char(c)) }
        _ = s.handle(.enter)
        let line = render(s, width: 120, height: 40).line(39)
        #expect(line.contains("Esc cancel  probe:1:16: control"), "\(line)")
        #expect(line.hasSuffix("… "), "\(line)")
    }
}
