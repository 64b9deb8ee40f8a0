import Testing
import SentreeCore

@Suite struct LineSplitterTests {
    /// The lines of `text` fed in chunks of `chunk` bytes, or the overlong error as a string.
    func lines(_ text: [UInt8], chunk: Int) -> [String] {
        var splitter = LineSplitter()
        var out: [String] = []
        func take(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) {
            out.append(String(decoding: line, as: UTF8.self))
        }
        do throws(InputError) {
            try text.withUnsafeBufferPointer { all throws(InputError) in
                var start = 0
                while start < all.count {
                    let end = min(start + chunk, all.count)
                    try splitter.consume(
                        UnsafeBufferPointer(rebasing: all[start ..< end]),
                        overlong: { InputError(source: "s", line: $0, column: 1, message: $1) }, take)
                    start = end
                }
            }
            try splitter.finish(take)
        } catch {
            out.append(error.description)
        }
        return out
    }

    @Test func splitsAtLineFeedsWhateverTheChunking() {
        let text = Array("one\r\n\ntwo é\nlast".utf8)
        for chunk in [1, 2, 3, 5, 100] {
            #expect(lines(text, chunk: chunk) == ["one\r", "", "two é", "last"], "chunks of \(chunk)")
        }
        #expect(lines(Array("a\n".utf8), chunk: 1) == ["a"])
        #expect(lines([], chunk: 1).isEmpty)
    }

    @Test func anUnfinishedLineOverTheLimitFailsBeforeItEnds() {
        let limit = InputText.maximumLineBytes
        let long = Array("ok\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: limit + 2)
        #expect(lines(long, chunk: 4096) == ["ok", "s:2:1: line is longer than the limit of 1048576 bytes"])
        // A finished line is handed over at any length; the reader reports its exact size.
        #expect(lines(long + [10], chunk: limit * 2).map(\.count) == [2, limit + 2])
        // Exactly the limit, plus a CR, is still a line.
        let fits = Array(repeating: UInt8(ascii: "y"), count: limit) + Array("\r\n".utf8)
        #expect(lines(fits, chunk: 4096).map(\.utf8.count) == [limit + 1])
    }
}
