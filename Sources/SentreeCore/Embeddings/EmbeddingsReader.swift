import Foundation

/// Streams a GloVe or word2vec text file and keeps the vectors of the words a vocabulary wants.
///
/// Format, on UTF-8 bytes: one row per line, `word v1 … vd`; an optional first line
/// `count dim` (two unsigned integers) makes it word2vec text, whose rows must then number
/// `count` and hold `dim` values. Without a header the first row sets the dimension. Fields
/// are separated by runs of ASCII space or tab (as in treebanks): U+00A0 and other Unicode
/// spaces stay inside words, as GloVe 840B needs. A final CR, a trailing separator, blank
/// lines, a missing final newline and a UTF-8 byte order mark are tolerated.
///
/// A row with more fields than `dim + 1` whose extra leading fields are not numbers has a
/// word containing spaces (GloVe 840B has `. . .`): the word is those fields with the
/// separators between them. If an extra field is a number, the row is ragged.
///
/// Words obey the treebank token rule (`InputText.problem(inToken:)`: no control
/// characters, at most 1,000 bytes); lines hold at most `InputText.maximumLineBytes` bytes;
/// values must be finite. Every violation is an `InputError` naming line and column. The
/// first row of a word that appears twice wins. A one-dimensional GloVe file whose first
/// word is an unsigned integer reads as a header, and then fails with an error.
///
/// Feed bytes with `consume(_:)` in chunks of any size and call `finish()`; the result does
/// not depend on the chunking. `read(contentsOf:…)` does this with 1 MiB reads; a caller with
/// its own word-to-index function uses `init(source:vocabularySize:index:)`,
/// `consume(contentsOf:)` and `finish()`.
public struct EmbeddingsReader {
    private let source: String
    private let vocabularySize: Int
    private let index: (String) -> Int?

    private var format = Embeddings.Format.glove
    private var dimension = 0
    /// Rows the header announces, for word2vec files.
    private var announcedRows = -1
    private var vectors: [Float] = []
    private var rows: [Int32]
    private var rowsRead = 0
    private var lineNumber = 0
    private var lines = LineSplitter()
    /// Start and end offsets of the fields of the current line, reused from line to line.
    private var fields: [Int] = []
    /// Values of the current row, `dimension` of them.
    private var scratch: [Float] = []

    /// A reader that keeps the row of each word `index` maps to 0 ..< `vocabularySize`.
    public init(source: String, vocabularySize: Int, index: @escaping (String) -> Int?) {
        self.source = source
        self.vocabularySize = vocabularySize
        self.index = index
        rows = Array(repeating: -1, count: vocabularySize)
    }

    /// A reader that keeps the rows of `words`; vocabulary index = position in `words`.
    public init(source: String, words: [String]) {
        var positions: [String: Int] = [:]
        for (k, word) in words.enumerated() where positions[word] == nil { positions[word] = k }
        self.init(source: source, vocabularySize: words.count, index: { positions[$0] })
    }

    /// Reads the file at `path` in chunks of `chunkBytes`; memory stays bounded by the
    /// vocabulary, one line and one chunk, whatever the size of the file.
    public static func read(
        contentsOf path: String, words: [String],
        chunkBytes: Int = 1 << 20
    ) throws(InputError) -> Embeddings {
        var reader = EmbeddingsReader(source: path, words: words)
        try reader.consume(contentsOf: path, chunkBytes: chunkBytes)
        return try reader.finish()
    }

    /// Parses in-memory text through the same code as files, `chunkBytes` at a time (tests
    /// and fuzzing use small chunks to exercise lines that span chunks).
    public static func parse(
        _ data: Data, source: String, words: [String],
        chunkBytes: Int = Int.max
    ) throws(InputError) -> Embeddings {
        var reader = EmbeddingsReader(source: source, words: words)
        let failure = data.withUnsafeBytes { raw -> InputError? in
            let all = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < all.count {
                let end = start + min(max(chunkBytes, 1), all.count - start)
                do throws(InputError) {
                    try reader.consume(UnsafeBufferPointer(rebasing: all[start ..< end]))
                } catch {
                    return error
                }
                start = end
            }
            return nil
        }
        if let failure { throw failure }
        return try reader.finish()
    }

    /// Feeds the whole file at `path`, read with `read(2)` into one reusable buffer; call
    /// `finish()` afterwards.
    public mutating func consume(contentsOf path: String, chunkBytes: Int = 1 << 20) throws(InputError) {
        // A FIFO or device is refused before a read could wait forever on it.
        let file: RegularFile
        do { file = try RegularFile(path) } catch {
            throw wholeFileError(
                error.message == "is a directory, not a regular file"
                    ? "is a directory, not an embeddings file" : error.message)
        }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(chunkBytes, 1))
        defer { buffer.deallocate() }
        while true {
            let count: Int
            do { count = try file.read(into: buffer) } catch { throw wholeFileError(error.message) }
            if count == 0 { return }
            try consume(UnsafeBufferPointer(rebasing: buffer[0 ..< count]))
        }
    }

    /// Feeds the next bytes of the file; complete lines are parsed at once.
    public mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>) throws(InputError) {
        // The splitter is moved out while it calls back into `parseLine`, which mutates self.
        var splitter = lines
        lines = LineSplitter()
        defer { lines = splitter }
        let source = source
        try splitter.consume(
            chunk, overlong: { InputError(source: source, line: $0, column: 1, message: $1) },
            { line throws(InputError) in try parseLine(line) })
    }

    /// Parses a last line without a newline and checks the file as a whole.
    public mutating func finish() throws(InputError) -> Embeddings {
        var splitter = lines
        lines = LineSplitter()
        try splitter.finish { line throws(InputError) in try parseLine(line) }
        if lineNumber == 0 { throw wholeFileError("empty file: expected GloVe or word2vec text vectors") }
        if announcedRows >= 0 && announcedRows != rowsRead {
            throw InputError(
                source: source, line: 1, column: 1,
                message:
                    "the header announces \(announcedRows) rows, but the file has \(rowsRead)")
        }
        if rowsRead == 0 { throw wholeFileError("no vectors in the file") }
        return Embeddings(
            format: format, dimension: dimension, vectors: vectors, rows: rows,
            rowsRead: rowsRead)
    }

    // MARK: - Lines

    private mutating func parseLine(_ raw: UnsafeBufferPointer<UInt8>) throws(InputError) {
        lineNumber += 1
        var from = 0, to = raw.count
        if to > 0 && raw[to - 1] == UInt8(ascii: "\r") { to -= 1 }
        if lineNumber == 1 && to >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF { from = 3 }
        let line = UnsafeBufferPointer(rebasing: raw[from ..< to])
        if let problem = InputText.lineProblem(byteCount: line.count) {
            throw error(in: line, at: 0, problem)
        }
        if dimension > 0,
            let wordEnd = scratch.withUnsafeMutableBufferPointer({ Self.plainRow(line, values: $0) })
        {
            try keepRow(line, word: 0 ..< wordEnd)
        } else {
            try parseUnusualLine(line)
        }
    }

    /// The common row, `word v1 … vd` with single-field word and plain decimal values, read
    /// in one pass: fills `values` and returns the end of the word, or nil for anything else.
    @inline(__always)
    private static func plainRow(
        _ line: UnsafeBufferPointer<UInt8>,
        values: UnsafeMutableBufferPointer<Float>
    ) -> Int? {
        let n = line.count
        var i = 0
        while i < n && line[i] != UInt8(ascii: " ") && line[i] != UInt8(ascii: "\t") { i += 1 }
        let wordEnd = i
        guard wordEnd > 0 else { return nil }
        var count = 0
        while true {
            while i < n && (line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t")) { i += 1 }
            if i == n { break }
            guard count < values.count, let (value, end) = DecimalFloat.scan(line, from: i),
                end == n || line[end] == UInt8(ascii: " ") || line[end] == UInt8(ascii: "\t")
            else {
                return nil
            }
            values[count] = value
            count += 1
            i = end
        }
        return count == values.count ? wordEnd : nil
    }

    /// Every other line: blank lines, the header, the first row, words with spaces, and
    /// all the malformed rows, which this path reports.
    private mutating func parseUnusualLine(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) {
        splitFields(line)
        let fieldCount = fields.count / 2
        if fieldCount == 0 { return }
        if lineNumber == 1 && fieldCount == 2, try readHeader(line) { return }
        if dimension == 0 {
            guard fieldCount > 1 else {
                throw error(in: line, at: line.count, "expected values after the word")
            }
            setDimension(fieldCount - 1)
        }
        let wordFields = try wordFieldCount(line, fieldCount: fieldCount)
        let word = fields[0] ..< fields[2 * wordFields - 1]
        try checkWord(line, word)
        for k in wordFields ..< fieldCount { scratch[k - wordFields] = try value(line, field: k) }
        try keepRow(line, word: word, checked: true)
    }

    private mutating func setDimension(_ d: Int) {
        dimension = d
        scratch = Array(repeating: 0, count: d)
    }

    /// Counts the row whose values are in `scratch`, and keeps it if its word is wanted.
    private mutating func keepRow(
        _ line: UnsafeBufferPointer<UInt8>, word: Range<Int>,
        checked: Bool = false
    ) throws(InputError) {
        if !checked { try checkWord(line, word) }
        rowsRead += 1
        if announcedRows >= 0 && rowsRead > announcedRows {
            throw error(
                in: line, at: 0,
                "the header at line 1 announces \(announcedRows) rows; this is row \(rowsRead)")
        }
        let wanted = index(String(decoding: UnsafeBufferPointer(rebasing: line[word]), as: UTF8.self))
        if let wanted, wanted >= 0, wanted < vocabularySize, rows[wanted] < 0 {
            rows[wanted] = Int32(vectors.count / dimension)
            vectors.append(contentsOf: scratch)
        }
    }

    /// Applies the shared token rule to a word, after checking it is UTF-8.
    private func checkWord(_ line: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) throws(InputError) {
        let bytes = UnsafeBufferPointer(rebasing: line[word])
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            throw invalidUTF8(in: line, at: word.lowerBound + bad)
        }
        if let problem = InputText.problem(inToken: bytes) {
            throw error(in: line, at: word.lowerBound + problem.offset, problem.message)
        }
    }

    /// Reads `count dim` if the first line is a word2vec header; false if it is a row.
    private mutating func readHeader(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) -> Bool {
        func unsigned(_ k: Int) -> Int? {
            let digits = line[fields[2 * k] ..< fields[2 * k + 1]]
            guard digits.count <= 12, digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
        }
        guard let count = unsigned(0), let dim = unsigned(1) else { return false }
        // Each value takes at least two bytes of a line, so larger dimensions cannot fit one.
        guard dim >= 1 && dim <= InputText.maximumLineBytes / 2 else {
            throw error(
                in: line, at: fields[2],
                "dimension \(dim) in the header is outside 1-\(InputText.maximumLineBytes / 2)")
        }
        format = .word2vec
        announcedRows = count
        setDimension(dim)
        return true
    }

    /// How many leading fields form the word: 1, or more for a word with spaces in it.
    private func wordFieldCount(_ line: UnsafeBufferPointer<UInt8>, fieldCount: Int) throws(InputError) -> Int
    {
        let values = fieldCount - 1
        let expected =
            format == .word2vec
            ? "expected \(dimension) values (as the header says)"
            : "expected \(dimension) values (as on the first row)"
        if values < dimension {
            throw error(in: line, at: fields[2 * fieldCount - 1], "\(expected), found \(values)")
        }
        for k in 1 ..< fieldCount - dimension {
            let field = UnsafeBufferPointer(rebasing: line[fields[2 * k] ..< fields[2 * k + 1]])
            if DecimalFloat.parse(field) != nil {
                throw error(in: line, at: fields[2 * (dimension + 1)], "\(expected), found \(values)")
            }
        }
        return fieldCount - dimension
    }

    /// The finite number in field `k`.
    private func value(_ line: UnsafeBufferPointer<UInt8>, field k: Int) throws(InputError) -> Float {
        let start = fields[2 * k]
        let field = UnsafeBufferPointer(rebasing: line[start ..< fields[2 * k + 1]])
        guard let v = DecimalFloat.parse(field) else {
            if let bad = UTF8Validation.firstInvalidByte(in: field) {
                throw invalidUTF8(in: line, at: start + bad)
            }
            throw error(in: line, at: start, "expected a number, found \(InputText.quoted(field))")
        }
        guard v.isFinite else {
            throw error(in: line, at: start, "value \(InputText.quoted(field)) is not finite")
        }
        return v
    }

    /// Records the fields of `line` as start/end offset pairs.
    private mutating func splitFields(_ line: UnsafeBufferPointer<UInt8>) {
        fields.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        while i < n {
            while i < n && (line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t")) { i += 1 }
            if i == n { break }
            fields.append(i)
            while i < n && line[i] != UInt8(ascii: " ") && line[i] != UInt8(ascii: "\t") { i += 1 }
            fields.append(i)
        }
    }

    // MARK: - Errors

    private func error(in line: UnsafeBufferPointer<UInt8>, at offset: Int, _ message: String) -> InputError {
        InputError(
            source: source, line: lineNumber, column: InputText.column(ofByte: offset, in: line),
            message: message)
    }

    private func invalidUTF8(in line: UnsafeBufferPointer<UInt8>, at offset: Int) -> InputError {
        let advice = "embeddings must be UTF-8 text (word2vec binary files are not supported)"
        return error(in: line, at: offset, InputText.invalidUTF8Message(byte: line[offset], advice: advice))
    }

    private func wholeFileError(_ message: String) -> InputError {
        InputError(source: source, line: 0, column: 0, message: message)
    }

}
