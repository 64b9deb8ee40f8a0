extension Treebank {
    /// Builds unlabeled trees from raw sentences, for `predict` on text with no parse.
    ///
    /// **The structure is approximate, not a real parse.** Each sentence is tokenized the
    /// way SST/PTB text is (see `ptbTokens(of:)`), then binarized by a fixed fallback: a
    /// final `.`, `!`, `?`, `...` (or a run of those) is attached at the top, as in SST, and
    /// the remaining words form a right-branching chain `(w1 (w2 (w3 w4)))`, which follows
    /// English head-initial phrases better than left-branching. Composition models see
    /// therefore a plausible but often wrong tree, so their predictions differ from those on
    /// a gold SST parse of the same sentence.
    ///
    /// Every label is `Treebank.unlabeled`. Sentences with no tokens (empty or whitespace)
    /// are skipped; `lines[t]` is the 1-based position in `sentences` of the sentence that
    /// tree `t` came from, so callers can map results back.
    ///
    /// Sentences obey the same rules as treebank files, and break them with a `TreebankError`
    /// at line = position in `sentences`: every space- or tab-separated chunk must pass
    /// `InputText.problem(inToken:)` (so any control character but a separating TAB is an
    /// error at its own column), a sentence may hold at most
    /// `InputText.maximumLineBytes` bytes and its tree at most `maximumTreeNodes` nodes.
    public static func fromSentences(_ sentences: [String], source: String) throws(TreebankError) -> Treebank
    {
        var bank = Treebank(source: source)
        for (index, sentence) in sentences.enumerated() {
            try validate(sentence, line: index + 1, source: source)
            let words = ptbTokens(of: sentence)
            if words.isEmpty { continue }
            if 2 * words.count - 1 > maximumTreeNodes {
                throw TreebankError(
                    source: source, line: index + 1, column: 1,
                    message: "sentence of "
                        + "\(words.count) tokens makes a tree larger than the limit of \(maximumTreeNodes) nodes"
                )
            }
            bank.appendApproximateTree(words)
            bank.lines.append(Int32(index + 1))
        }
        return bank
    }

    /// Checks the raw text of a sentence before it is tokenized, so that positions are those
    /// the user typed.
    static func validate(_ sentence: String, line: Int, source: String) throws(TreebankError) {
        var sentence = sentence
        let failure = sentence.withUTF8 { bytes -> TreebankError? in
            func fail(_ offset: Int, _ message: String) -> TreebankError {
                TreebankError(
                    source: source, line: line, column: InputText.column(ofByte: offset, in: bytes),
                    message: message)
            }
            if let problem = InputText.lineProblem(byteCount: bytes.count) { return fail(0, problem) }
            let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
            var start = 0
            for end in 0 ... bytes.count where end == bytes.count || bytes[end] == space || bytes[end] == tab
            {
                let chunk = UnsafeBufferPointer(rebasing: bytes[start ..< end])
                if let problem = InputText.problem(inToken: chunk) {
                    return fail(start + problem.offset, problem.message)
                }
                start = end + 1
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Appends one unlabeled tree over `words` (non-empty) in post-order.
    private mutating func appendApproximateTree(_ words: [String]) {
        var body = words.count
        while body > 1 && Self.isSentenceFinal(words[body - 1]) { body -= 1 }
        // Post-order of a right-branching chain: all leaves, then the inner nodes bottom-up.
        let base = labels.count
        func node(left l: Int32, right r: Int32, token: Int32) {
            labels.append(Treebank.unlabeled)
            left.append(l)
            right.append(r)
            leafToken.append(token)
        }
        for i in 0 ..< body {
            node(left: -1, right: -1, token: Int32(tokens.count))
            tokens.append(words[i])
        }
        // Chain node k joins leaf body-2-k with the node built just before it.
        var top = Int32(body - 1)
        for k in 0 ..< max(body - 1, 0) {
            node(left: Int32(body - 2 - k), right: top, token: -1)
            top = Int32(labels.count - 1 - base)
        }
        // Each trailing punctuation mark is attached above everything before it.
        for word in words[body...] {
            node(left: -1, right: -1, token: Int32(tokens.count))
            tokens.append(word)
            node(left: top, right: Int32(labels.count - 1 - base), token: -1)
            top = Int32(labels.count - 1 - base)
        }
        treeStart.append(Int32(labels.count))
    }

    static func isSentenceFinal(_ token: String) -> Bool {
        token == "." || token == "!" || token == "?" || token == "..."
    }

    /// Splits raw text into PTB/SST-style tokens so they match the training vocabulary.
    ///
    /// Rules: split on ASCII whitespace; peel punctuation (`.,;:!?"'()[]{}` and `...`,
    /// `--`) off both ends of each chunk; split the clitics `n't 's 're 've 'll 'd 'm`
    /// (case-insensitive, `’` treated as `'`); then spell tokens as SST does: `(`→`-LRB-`,
    /// `)`→`-RRB-` (likewise `[]{}`), an opening `"` → ` `` `, a closing one → `''`,
    /// `/`→`\/`, `*`→`\*`. Hyphenated words and inner periods (`well-made`, `U.S.`) stay whole.
    public static func ptbTokens(of sentence: String) -> [String] {
        var out: [String] = []
        let chunks = sentence.replacing("\u{2019}", with: "'")
            .split(whereSeparator: { $0.isASCII && $0.isWhitespace })
        for chunk in chunks {
            var core = Substring(chunk)
            var leading: [String] = []
            var trailing: [String] = []
            while let p = leadingPunctuation(core) {
                leading.append(p == "\"" ? "``" : p)
                core = core.dropFirst(p.count)
            }
            while let p = trailingPunctuation(core) {
                trailing.insert(p == "\"" ? "''" : p, at: 0)
                core = core.dropLast(p.count)
            }
            out += leading.map(escaped)
            if !core.isEmpty { out += splitClitic(String(core)).map(escaped) }
            out += trailing.map(escaped)
        }
        return out
    }

    private static let edgePunctuation: Set<Character> = [
        ".", ",", ";", ":", "!", "?", "\"", "'", "(", ")", "[", "]", "{", "}",
    ]

    private static func leadingPunctuation(_ s: Substring) -> String? {
        if s.hasPrefix("...") { return "..." }
        if s.hasPrefix("--") { return "--" }
        guard let c = s.first, edgePunctuation.contains(c) else { return nil }
        // A leading apostrophe that starts a word is part of it ('s, '90s, 'til).
        if c == "'", s.count > 1, s.dropFirst().first!.isLetter || s.dropFirst().first!.isNumber {
            return nil
        }
        return String(c)
    }

    private static func trailingPunctuation(_ s: Substring) -> String? {
        if s.hasSuffix("...") { return "..." }
        if s.hasSuffix("--") { return "--" }
        guard let c = s.last, edgePunctuation.contains(c) else { return nil }
        // Keep the period of an abbreviation with inner periods ("U.S."), as PTB does.
        if c == ".", s.count > 2, s.dropLast().contains(".") { return nil }
        return String(c)
    }

    private static let clitics = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"]

    private static func splitClitic(_ word: String) -> [String] {
        let lower = word.lowercased()
        for clitic in clitics where lower.hasSuffix(clitic) && lower.count > clitic.count {
            let cut = word.index(word.endIndex, offsetBy: -clitic.count)
            return [String(word[..<cut]), String(word[cut...])]
        }
        return [word]
    }

    /// `token` spelled as the treebank writes it: brackets as `-LRB-` and kin, `/` and `*`
    /// escaped.
    static func escaped(_ token: String) -> String {
        switch token {
        case "(": return "-LRB-"
        case ")": return "-RRB-"
        case "[": return "-LSB-"
        case "]": return "-RSB-"
        case "{": return "-LCB-"
        case "}": return "-RCB-"
        default:
            // Bytes of an ASCII token are its characters; another is searched as a string.
            let ascii = token.utf8.allSatisfy { $0 < 0x80 }
            let marked =
                ascii
                ? token.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "*") }
                : token.contains("/") || token.contains("*")
            guard marked else { return token }
            return token.replacing("/", with: "\\/").replacing("*", with: "\\*")
        }
    }
}
