import Foundation

extension Treebank {
    /// Deepest nesting the parser accepts; SST trees are at most 30 levels deep.
    public static let maximumDepth = 1000

    /// Most nodes one tree may have (about 10,000 words); SST trees have at most 103.
    ///
    /// Bounds the per-tree buffers a model allocates for the largest tree it is given.
    public static let maximumTreeNodes = 20_000

    /// Reads and parses a treebank file (one PTB tree per line, UTF-8).
    ///
    /// Errors are `TreebankError`s naming `path`; an unreadable file is reported at line 0.
    public static func load(contentsOf path: String, requireLabels: Bool = true) throws -> Treebank {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TreebankError(source: path, line: 0, column: 0, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw TreebankError(
                source: path, line: 0, column: 0, message: "is a directory, not a treebank file")
        }
        let data: Data
        do { data = try RegularFile.contents(of: path) } catch {
            throw TreebankError(source: path, line: 0, column: 0, message: error.message)
        }
        return try data.withUnsafeBytes { raw throws(TreebankError) in
            var parser = TreebankParser(
                bytes: raw.bindMemory(to: UInt8.self), source: path,
                requireLabels: requireLabels)
            return try parser.run()
        }
    }

    /// Parses treebank text (one PTB tree per line); `source` names it in errors.
    ///
    /// Grammar, on UTF-8 bytes: a tree is `(label word)` or `(label tree tree)`, one per line;
    /// blank lines are skipped and a trailing CR is ignored. Tokens are separated by ASCII
    /// space or tab only (U+00A0 stays inside a word) and end at `(` or `)`.
    ///
    /// Hostile input is rejected with an error, never a crash: tokens must pass
    /// `InputText.problem(inToken:)` (no control characters, reported at their own column;
    /// at most `InputText.maximumTokenBytes` bytes, reported at the token's start), lines may
    /// hold at most `InputText.maximumLineBytes` bytes, trees at most `maximumTreeNodes`
    /// nodes and `maximumDepth` levels.
    ///
    /// With `requireLabels: false` (user input for `predict`) labels may be left out:
    /// - after `(`, a first token that is a single digit `0`–`4` *and is followed by more
    ///   content* inside the same parentheses is the node's label; any other first token,
    ///   including other numbers, is content;
    /// - a node whose only content is one word is a leaf (`(good)`, `(2 good)`, `(2)` is the
    ///   unlabeled word "2");
    /// - otherwise the node needs exactly two children, each a `(...)` node or a bare word,
    ///   which becomes an unlabeled leaf (`(not good)`, `(1 not (3 good))`);
    /// - missing labels are stored as `Treebank.unlabeled`.
    public static func parse(_ text: String, source: String, requireLabels: Bool = true) throws -> Treebank {
        var text = text
        return try text.withUTF8 { bytes throws(TreebankError) in
            var parser = TreebankParser(bytes: bytes, source: source, requireLabels: requireLabels)
            return try parser.run()
        }
    }
}

/// Single-pass parser over the bytes of a whole treebank, with an explicit stack of open
/// nodes so that nesting depth costs heap, not call stack.
struct TreebankParser {
    /// One `(` that has not been closed yet.
    private struct Frame {
        /// Byte offset of the `(`.
        var open: Int
        var label = Treebank.unlabeled
        /// Whether the label slot is settled (read, or known to be absent).
        var labelDone = false
        /// A bare word seen but not emitted yet: it is the node's own word if nothing else
        /// follows, otherwise an unlabeled child leaf (or, for an ambiguous first token, the label).
        var pendingStart = -1
        var pendingEnd = -1
        var pendingMayBeLabel = false
        var children = 0
        var left: Int32 = -1
        var right: Int32 = -1

        init(open: Int) { self.open = open }
        var hasPending: Bool { pendingStart >= 0 }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let source: String
    private let requireLabels: Bool
    private var bank: Treebank
    private var stack: [Frame] = []
    private var lineNumber = 0
    private var lineStart = 0
    /// First node of the tree being parsed, to turn global node indices into local ones.
    private var treeBase = 0

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let open = UInt8(ascii: "("), close = UInt8(ascii: ")")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, requireLabels: Bool) {
        self.bytes = bytes
        self.source = source
        self.requireLabels = requireLabels
        bank = Treebank(source: source)
        stack.reserveCapacity(64)
    }

    mutating func run() throws(TreebankError) -> Treebank {
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            lineStart = 0
            lineNumber = 1
            for i in 0 ..< bad where bytes[i] == Self.newline {
                lineNumber += 1
                lineStart = i + 1
            }
            throw error(
                at: bad,
                InputText.invalidUTF8Message(
                    byte: bytes[bad],
                    advice: "the file must be UTF-8 text"))
        }
        reserve()
        var pos = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
        while pos < bytes.count {
            lineNumber += 1
            lineStart = pos
            var end = pos
            while end < bytes.count && bytes[end] != Self.newline { end += 1 }
            let next = end + 1
            if end > pos && bytes[end - 1] == Self.carriageReturn { end -= 1 }
            if let problem = InputText.lineProblem(byteCount: end - pos) { throw error(at: pos, problem) }
            try parseLine(end: end)
            pos = next
        }
        return bank
    }

    /// Sizes the node arrays from the number of `(` so that appends never reallocate.
    private mutating func reserve() {
        var opens = 0
        for b in bytes where b == Self.open { opens += 1 }
        bank.labels.reserveCapacity(opens)
        bank.left.reserveCapacity(opens)
        bank.right.reserveCapacity(opens)
        bank.leafToken.reserveCapacity(opens)
        bank.tokens.reserveCapacity(opens / 2 + 1)
    }

    private func skipBlanks(_ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end && (bytes[i] == Self.space || bytes[i] == Self.tab) { i += 1 }
        return i
    }

    private func tokenEnd(_ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end {
            let b = bytes[i]
            if b == Self.space || b == Self.tab || b == Self.open || b == Self.close { break }
            i += 1
        }
        return i
    }

    /// End of the token that starts at `i`, once it has passed the shared token rule.
    private func checkedTokenEnd(_ i: Int, _ end: Int) throws(TreebankError) -> Int {
        let e = tokenEnd(i, end)
        if let problem = InputText.problem(inToken: UnsafeBufferPointer(rebasing: bytes[i ..< e])) {
            throw error(at: i + problem.offset, problem.message)
        }
        return e
    }

    private mutating func parseLine(end: Int) throws(TreebankError) {
        var i = skipBlanks(lineStart, end)
        if i == end { return }
        if bytes[i] == Self.close { throw error(at: i, "unexpected ')'") }
        if bytes[i] != Self.open {
            throw error(
                at: i, "expected '(' to start a tree, found \(quoted(i, try checkedTokenEnd(i, end)))")
        }
        let treeOpen = i
        treeBase = bank.labels.count
        stack.removeAll(keepingCapacity: true)
        repeat {
            i = skipBlanks(i, end)
            if i == end {
                let open = stack[stack.count - 1].open
                throw error(
                    at: end,
                    "expected ')' to close the node opened at column \(column(of: open)), found end of line")
            }
            let b = bytes[i]
            if b == Self.open {
                if !stack.isEmpty { try childNodeStarts(at: i) }
                if stack.count == Treebank.maximumDepth {
                    throw error(at: i, "tree nested deeper than \(Treebank.maximumDepth) levels")
                }
                stack.append(Frame(open: i))
                i += 1
            } else if b == Self.close {
                try closeNode(at: i)
                i += 1
            } else {
                let e = try checkedTokenEnd(i, end)
                try word(i, e)
                i = e
            }
        } while !stack.isEmpty
        i = skipBlanks(i, end)
        if i < end {
            if bytes[i] == Self.close { throw error(at: i, "unexpected ')'") }
            if bytes[i] != Self.open { _ = try checkedTokenEnd(i, end) }
            var e = end
            while e > i && (bytes[e - 1] == Self.space || bytes[e - 1] == Self.tab) { e -= 1 }
            throw error(at: i, "unexpected text after the end of the tree: \(quoted(i, e))")
        }
        let nodes = bank.labels.count - treeBase
        if nodes > Treebank.maximumTreeNodes {
            throw error(
                at: treeOpen,
                "tree of \(nodes) nodes is larger than the limit of \(Treebank.maximumTreeNodes) nodes")
        }
        bank.treeStart.append(Int32(bank.labels.count))
        bank.lines.append(Int32(lineNumber))
    }

    /// A `(` inside the top frame: checks it may hold a child and settles any pending word.
    private mutating func childNodeStarts(at i: Int) throws(TreebankError) {
        let top = stack.count - 1
        if requireLabels {
            if !stack[top].labelDone { throw error(at: i, "expected a label 0-4, found '('") }
            if stack[top].hasPending {
                throw error(
                    at: i,
                    "expected ')' after the word \(quoted(stack[top].pendingStart, stack[top].pendingEnd)), found '('"
                )
            }
        } else {
            settlePending(top)
        }
    }

    /// A bare token `s..<e` inside the top frame.
    private mutating func word(_ s: Int, _ e: Int) throws(TreebankError) {
        let top = stack.count - 1
        if requireLabels {
            if !stack[top].labelDone {
                stack[top].label = try label(s, e)
                stack[top].labelDone = true
                return
            }
            if stack[top].hasPending {
                throw error(
                    at: s,
                    "expected ')' after the word \(quoted(stack[top].pendingStart, stack[top].pendingEnd)), found \(quoted(s, e))"
                )
            }
            if stack[top].children > 0 {
                throw error(at: s, "expected '(' or ')' after a child node, found \(quoted(s, e))")
            }
            stack[top].pendingStart = s
            stack[top].pendingEnd = e
            return
        }
        let first = !stack[top].labelDone && !stack[top].hasPending && stack[top].children == 0
        if first {
            stack[top].pendingMayBeLabel =
                e - s == 1 && (UInt8(ascii: "0") ... UInt8(ascii: "4")).contains(bytes[s])
        } else {
            settlePending(top)
            stack[top].pendingMayBeLabel = false
        }
        stack[top].pendingStart = s
        stack[top].pendingEnd = e
    }

    /// Unlabeled mode, more content follows: a pending label candidate becomes the label,
    /// a pending word becomes an unlabeled child leaf.
    private mutating func settlePending(_ top: Int) {
        if stack[top].hasPending {
            if stack[top].pendingMayBeLabel {
                stack[top].label = bytes[stack[top].pendingStart] - UInt8(ascii: "0")
                stack[top].pendingMayBeLabel = false
            } else {
                let leaf = emitLeaf(label: Treebank.unlabeled, stack[top].pendingStart, stack[top].pendingEnd)
                addChild(leaf, to: top)
            }
            stack[top].pendingStart = -1
            stack[top].pendingEnd = -1
        }
        stack[top].labelDone = true
    }

    private mutating func closeNode(at i: Int) throws(TreebankError) {
        let top = stack.count - 1
        let node: Int32
        if requireLabels && !stack[top].labelDone {
            throw error(at: i, "expected a label 0-4, found ')'")
        }
        if stack[top].hasPending && stack[top].children == 0 {
            let f = stack[top]
            node = emitLeaf(label: f.label, f.pendingStart, f.pendingEnd)
        } else {
            if !requireLabels { settlePending(top) }
            let f = stack[top]
            if f.children == 0 {
                throw error(
                    at: i,
                    requireLabels
                        ? "empty word: expected a word after the label"
                        : "empty node: expected a word or two children, found ')'")
            }
            if f.children != 2 {
                throw error(at: f.open, "a node needs exactly two children, found \(f.children)")
            }
            node = Int32(bank.labels.count - treeBase)
            bank.labels.append(f.label)
            bank.left.append(f.left)
            bank.right.append(f.right)
            bank.leafToken.append(-1)
        }
        stack.removeLast()
        if !stack.isEmpty { addChild(node, to: stack.count - 1) }
    }

    private mutating func addChild(_ node: Int32, to top: Int) {
        stack[top].children += 1
        switch stack[top].children {
        case 1: stack[top].left = node
        case 2: stack[top].right = node
        default: break  // reported when the node closes, with the final count
        }
    }

    /// Appends a leaf for the word `s..<e` and returns its local index.
    private mutating func emitLeaf(label: UInt8, _ s: Int, _ e: Int) -> Int32 {
        let local = Int32(bank.labels.count - treeBase)
        bank.labels.append(label)
        bank.left.append(-1)
        bank.right.append(-1)
        bank.leafToken.append(Int32(bank.tokens.count))
        bank.tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[s ..< e]), as: UTF8.self))
        return local
    }

    private func label(_ s: Int, _ e: Int) throws(TreebankError) -> UInt8 {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        if e - s == 1, bytes[s] >= zero, bytes[s] <= zero + 4 { return bytes[s] - zero }
        let digitsFrom = bytes[s] == UInt8(ascii: "-") ? s + 1 : s
        if digitsFrom < e, bytes[digitsFrom ..< e].allSatisfy({ $0 >= zero && $0 <= nine }) {
            throw error(at: s, "label \(text(s, e)) is outside 0-4")
        }
        throw error(at: s, "expected a label 0-4, found \(quoted(s, e))")
    }

    private func text(_ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[s ..< e]), as: UTF8.self)
    }

    /// The text `s..<e` quoted for a message (see `InputText.quoted`).
    private func quoted(_ s: Int, _ e: Int) -> String {
        InputText.quoted(UnsafeBufferPointer(rebasing: bytes[s ..< e]))
    }

    /// 1-based column of byte `offset` of the current line, in characters.
    private func column(of offset: Int) -> Int {
        InputText.column(ofByte: offset - lineStart, in: UnsafeBufferPointer(rebasing: bytes[lineStart...]))
    }

    private func error(at offset: Int, _ message: String) -> TreebankError {
        TreebankError(source: source, line: lineNumber, column: column(of: offset), message: message)
    }
}

/// Locates malformed UTF-8 so it can be reported by line and column instead of being
/// silently replaced with U+FFFD when tokens become Strings.
enum UTF8Validation {
    /// Offset of the first byte that starts an invalid sequence (RFC 3629 well-formedness:
    /// no overlongs, no surrogates, nothing above U+10FFFF, no truncated sequences).
    static func firstInvalidByte(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch c {
            case 0xC2 ... 0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1 ... 0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + 1 < n, b[i + 1] >= low, b[i + 1] <= high else { return i }
            for k in 2 ..< length {
                guard i + k < n, b[i + k] & 0xC0 == 0x80 else { return i }
            }
            i += length
        }
        return nil
    }
}
