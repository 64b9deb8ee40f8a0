import Foundation
import Testing
@testable import SentreeCore

/// The shared GloVe subset; the test that reads it skips when it is absent.
let sharedGloVe = "/work/shared/data/glove/glove.6B.50d.top100k.txt"

/// Parses `text` as an embeddings file named `e.txt`, whole and in small chunks, and checks
/// that the chunking does not change the outcome.
func embeddings(_ text: String, words: [String]) throws -> Embeddings {
    let data = Data(text.utf8)
    let whole = Result { () throws(InputError) in
        try EmbeddingsReader.parse(data, source: "e.txt", words: words)
    }
    for chunk in [1, 2, 7] {
        let split = Result { () throws(InputError) in
            try EmbeddingsReader.parse(data, source: "e.txt", words: words, chunkBytes: chunk)
        }
        #expect(split == whole, "chunks of \(chunk) bytes")
    }
    return try whole.get()
}

/// The error for `text`, rendered as `source:line:column: message`.
func embeddingsError(_ text: String, words: [String] = ["a"]) -> String? {
    do {
        _ = try embeddings(text, words: words)
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite struct EmbeddingsReaderTests {
    @Test func readsGloVeKeepingOnlyWantedRows() throws {
        let e = try embeddings(
            "the 0.418 0.24968 -0.41242\nb 1 2 3\na -1.5e-3 0 7\n", words: ["a", "zz", "the"])
        #expect(e.format == .glove)
        #expect(e.dimension == 3)
        #expect(e.rowsRead == 3 && e.wordsFound == 2)
        #expect(e.vectors.count == 6)
        #expect(e.rows == [1, -1, 0])
        #expect(e.vector(forIndex: 0).map(Array.init) == [-0.0015, 0, 7])
        #expect(e.vector(forIndex: 1) == nil)
        #expect(e.vector(forIndex: 2).map(Array.init) == [0.418, 0.24968, -0.41242])
    }

    @Test func readsWord2VecHeader() throws {
        let e = try embeddings("3 2\nx 1 2\ny 3 4 \nz 5 6\n", words: ["z", "y"])
        #expect(e.format == .word2vec)
        #expect(e.dimension == 2 && e.rowsRead == 3)
        #expect(e.vectors == [3, 4, 5, 6])
        #expect(e.rows == [1, 0])
    }

    @Test func toleratesCRLFMissingFinalNewlineBlankLinesTabsAndBOM() throws {
        let e = try embeddings("\u{FEFF}a 1 2\r\n\r\n\tb\t3  4 \r\nc 5 6", words: ["c", "b", "a"])
        #expect(e.vectors == [1, 2, 3, 4, 5, 6])
        #expect(e.rows == [2, 1, 0])
    }

    @Test func unicodeSpacesStayInsideWordsAndFirstDuplicateWins() throws {
        let e = try embeddings(
            "8\u{00A0}1/2 1 2\nco\u{2009}op 3 4\n8\u{00A0}1/2 9 9\n", words: ["8\u{00A0}1/2", "co\u{2009}op"])
        #expect(e.vectors == [1, 2, 3, 4])
        #expect(e.rowsRead == 3)
    }

    @Test func wordsWithASCIISpacesAsInGloVe840B() throws {
        let e = try embeddings(
            ", 1 2 3\n. . . 4 5 6\nat name@domain.com 7 8 9\n", words: [". . .", "at name@domain.com"])
        #expect(e.vectors == [4, 5, 6, 7, 8, 9])
        // A number among the extra fields means the row is ragged, not a word with spaces.
        #expect(
            embeddingsError("a 1 2 3\nb 1 2 3 4\n")
                == "e.txt:2:9: expected 3 values (as on the first row), found 4")
    }

    @Test func raggedRowsAndHeaderMismatches() {
        #expect(
            embeddingsError("a 1 2 3\nb 1 2\n")
                == "e.txt:2:6: expected 3 values (as on the first row), found 2")
        #expect(
            embeddingsError("a 1 2 3\nb\n") == "e.txt:2:2: expected 3 values (as on the first row), found 0")
        #expect(
            embeddingsError("2 3\na 1 2\n") == "e.txt:2:6: expected 3 values (as the header says), found 2")
        #expect(
            embeddingsError("3 2\na 1 2\nb 1 2\n")
                == "e.txt:1:1: the header announces 3 rows, but the file has 2")
        #expect(
            embeddingsError("1 2\na 1 2\nb 1 2\n")
                == "e.txt:3:1: the header at line 1 announces 1 rows; this is row 2")
        #expect(embeddingsError("5 0\n") == "e.txt:1:3: dimension 0 in the header is outside 1-524288")
        #expect(embeddingsError("a\n") == "e.txt:1:2: expected values after the word")
    }

    @Test func badValues() throws {
        #expect(embeddingsError("a 1 2 3\nb 1 x2 3\n") == "e.txt:2:5: expected a number, found 'x2'")
        #expect(embeddingsError("a 1 1,5\n") == "e.txt:1:5: expected a number, found '1,5'")
        #expect(embeddingsError("a 1 2\nb 1e50 2\n") == "e.txt:2:3: value '1e50' is not finite")
        #expect(embeddingsError("a nan 2\n") == "e.txt:1:3: value 'nan' is not finite")
        #expect(embeddingsError("a 1 -inf\n") == "e.txt:1:5: value '-inf' is not finite")
        let escape = try #require(embeddingsError("a 1 \u{1B}[31m\n"))
        #expect(escape == "e.txt:1:5: expected a number, found '\\x1b[31m'")
    }

    @Test func hostileWords() {
        #expect(
            embeddingsError("a 1\nb\u{1B}c 2\n")
                == "e.txt:2:2: control character U+001B (ESC) is not allowed in a word")
        #expect(
            embeddingsError("é\u{85} 1\n") == "e.txt:1:2: control character U+0085 is not allowed in a word")
        #expect(
            embeddingsError("a\u{0}b 1\n")
                == "e.txt:1:2: control character U+0000 (NUL) is not allowed in a word")
        #expect(embeddingsError("a 1\rb 2\n") == "e.txt:1:3: expected a number, found '1\\rb'")
        #expect(
            embeddingsError(String(repeating: "w", count: 1001) + " 1\n")
                == "e.txt:1:1: word of 1001 bytes is longer than the limit of 1000 bytes")
    }

    @Test func overLongLines() throws {
        let line = "a" + String(repeating: " 1", count: InputText.maximumLineBytes / 2) + "\n"
        // Whole in one chunk the length is known; streamed, the reader stops at the limit.
        #expect(
            throws: InputError(
                source: "e.txt", line: 1, column: 1,
                message: "line of 1048577 bytes is longer than the limit of 1048576 bytes")
        ) {
            try EmbeddingsReader.parse(Data(line.utf8), source: "e.txt", words: [])
        }
        #expect(
            throws: InputError(
                source: "e.txt", line: 2, column: 1,
                message: "line is longer than the limit of 1048576 bytes")
        ) {
            let longer = "b 1\n" + line.dropLast() + String(repeating: " 1", count: 50)
            return try EmbeddingsReader.parse(Data(longer.utf8), source: "e.txt", words: [], chunkBytes: 4096)
        }
    }

    @Test func invalidUTF8AndEmptyFiles() throws {
        func error(_ bytes: [UInt8]) -> String? {
            do {
                _ = try EmbeddingsReader.parse(Data(bytes), source: "e.txt", words: [])
                return nil
            } catch {
                return "\(error)"
            }
        }
        let advice = "embeddings must be UTF-8 text (word2vec binary files are not supported)"
        #expect(
            error(Array("a 1\ncaf".utf8) + [0xFF] + Array(" 2\n".utf8))
                == "e.txt:2:4: invalid UTF-8 (byte 0xFF); \(advice)")
        #expect(error(Array("a 1".utf8) + [0xC3]) == "e.txt:1:4: invalid UTF-8 (byte 0xC3); \(advice)")
        #expect(error([]) == "e.txt:0:0: empty file: expected GloVe or word2vec text vectors")
        #expect(error(Array("\n \r\n".utf8)) == "e.txt:0:0: no vectors in the file")
        #expect(error(Array("0 5\n".utf8)) == "e.txt:0:0: no vectors in the file")
    }

    @Test func readsFilesInChunks() throws {
        let dir = try makeTemporaryDirectory("embeddings")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/v.txt"
        let text = (0 ..< 500).map { "w\($0) \($0) \(Float($0) / 7) -\($0)e-3" }.joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let words = ["w3", "w499", "nope"]
        let streamed = try EmbeddingsReader.read(contentsOf: path, words: words, chunkBytes: 64)
        #expect(streamed == (try EmbeddingsReader.parse(Data(text.utf8), source: path, words: words)))
        #expect(streamed.vector(forIndex: 1).map(Array.init) == [499, Float(499) / 7, -0.499])
        #expect(throws: InputError(source: dir + "/none.txt", line: 0, column: 0, message: "no such file")) {
            try EmbeddingsReader.read(contentsOf: dir + "/none.txt", words: words)
        }
        #expect(
            throws: InputError(
                source: dir, line: 0, column: 0, message: "is a directory, not an embeddings file")
        ) {
            try EmbeddingsReader.read(contentsOf: dir, words: words)
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedGloVe)))
    func readsTheSharedGloVeFile() throws {
        // Speed is measured by `sentree bench --vectors FILE`, not here: this machine is shared.
        let glove = try EmbeddingsReader.read(
            contentsOf: sharedGloVe, words: ["the", "movie", "not-a-glove-word-xyz"])
        #expect(glove.format == .glove && glove.dimension == 50)
        #expect(glove.rowsRead == 101_733)
        #expect(glove.rows[2] == -1 && glove.wordsFound == 2)
        let the = try #require(glove.vector(forIndex: 0))
        #expect(the.first == 0.418 && the.last == -0.78581)
    }
}

@Suite struct DecimalFloatTests {
    func parse(_ text: String) -> Float? {
        var text = text
        return text.withUTF8 { DecimalFloat.parse($0) }
    }

    @Test func agreesWithSwiftOnEdgeCases() {
        let cases = [
            "0", "-0", "+1", "1.", ".5", "0.418", "-0.00066023", "1e-3", "1E+3", "3.4028235e38",
            "3.4028236e38", "1.17549435e-38", "1e-45", "1e-46", "123456789.123456789",
            "0.000000000000000000000000001", "16777217", "0x1p3", "inf", "nan", "1e", "e5", ".", "-",
            "", "1..2", "1e5.5", "--1", "9007199254740993", "1e400", "0e99999",
        ]
        for text in cases {
            let mine = parse(text), swift = Float(text)
            #expect(
                mine?.bitPattern == swift?.bitPattern || (mine?.isNaN == true && swift?.isNaN == true),
                "\(text)")
        }
    }

    @Test func roundTripsRandomFloatsAndMatchesSwiftOnRandomDecimals() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for _ in 0 ..< 200_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: next()))
            guard f.isFinite else { continue }
            #expect(parse(f.description)?.bitPattern == f.bitPattern, "\(f)")
        }
        // Decimals with up to 17 digits, the kind a printer with more precision writes.
        for _ in 0 ..< 200_000 {
            let digits = String(next() % 100_000_000_000_000_000)
            let exponent = Int(next() % 60) - 40
            let text = "\(next() % 2 == 0 ? "-" : "")\(digits)e\(exponent)"
            #expect(parse(text)?.bitPattern == Float(text)?.bitPattern, "\(text)")
        }
    }
}
