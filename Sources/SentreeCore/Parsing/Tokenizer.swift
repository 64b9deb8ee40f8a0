/// Splits plain text into the tokens SST's trees have, spelled as the treebank writes them.
///
/// SST keeps Penn Treebank tokenization and the original casing. The rules, in the order
/// they apply:
/// - Curly quotes and dashes are normalized first: `’` → `'`, `‘` → `` ` ``, `“` → ``` `` ```,
///   `”` → `''`, `…` → `...`, `—` → `--`.
/// - Text is split on whitespace into chunks; inside a chunk `...` and `--` are always tokens
///   of their own (`great--really` → `great -- really`).
/// - Punctuation is peeled off both ends of a chunk: opening `"` becomes ``` `` ```, closing
///   `"` becomes `''` (a `"` standing alone opens or closes by the quotes seen before it),
///   an opening `'` before a word becomes `` ` ``, a closing `'` stays `'` (so the plural
///   possessive `critics'` is `critics '`); brackets, `, ; : %`, runs of `?`/`!` (`?!?` is one
///   token) and a leading `$` or `#` go off too.
/// - A final `.` goes off unless the chunk is an abbreviation: one with inner periods
///   (`U.S.`, `A.I.`, `i.e.`), a single capital letter (`J.`), or a listed one
///   (`Mr.`, `vs.`, `etc.`, …; `No.` only before a number).
/// - Clitics are split off: `n't 's 're 've 'll 'd 'm` (any case), which gives SST's
///   `ca n't` and `wo n't` for `can't` and `won't`; `cannot` → `can not` (SST keeps `gonna`
///   and `wanna` whole). Words that start or end with an
///   apostrophe as part of them stay whole: `'70s`, `'em`, `'til`, `'n'`, `ol'`.
/// - Hyphens, inner periods, inner commas and inner apostrophes stay inside words
///   (`well-acted`, `3.5`, `1,000`, `O'Fallon`).
/// - Tokens are escaped as PTB does: `(` → `-LRB-`, `)` → `-RRB-` (likewise `[]{}` as
///   `-LSB-`… ), `/` → `\/`, `*` → `\*`.
public enum Tokenizer {
    /// The SST tokens of `text`.
    public static func tokens(of text: String) -> [String] {
        var state = QuoteState()
        let chunks = normalized(text).split(whereSeparator: { $0.isWhitespace })
        var out: [String] = []
        for (index, chunk) in chunks.enumerated() {
            let next = index + 1 < chunks.count ? chunks[index + 1] : nil
            for piece in splitInnerDashes(chunk) {
                out += tokens(ofPiece: piece, next: next, state: &state)
            }
        }
        return out
    }

    /// Whether a double quote standing alone opens or closes.
    struct QuoteState {
        var doubleOpen = false
    }

    static func normalized(_ text: String) -> String {
        let typographic = text.unicodeScalars.contains { $0.value >= 0x2000 && $0.value < 0x2100 }
        guard typographic else { return text }
        var out = ""
        for c in text {
            switch c {
            case "\u{2019}", "\u{2032}": out.append("'")
            case "\u{2018}": out.append("`")
            case "\u{201C}": out += " `` "
            case "\u{201D}": out += " '' "
            case "\u{2026}": out += "..."
            case "\u{2014}", "\u{2013}": out += " -- "
            default: out.append(c)
            }
        }
        return out
    }

    /// `chunk` cut around every `...` and `--` it holds.
    static func splitInnerDashes(_ chunk: Substring) -> [Substring] {
        guard hasInnerMark(chunk) else { return [chunk] }
        var pieces: [Substring] = []
        var start = chunk.startIndex, i = chunk.startIndex
        while i < chunk.endIndex {
            let rest = chunk[i...]
            let mark = rest.hasPrefix("...") ? 3 : rest.hasPrefix("--") ? 2 : 0
            if mark == 0 { i = chunk.index(after: i); continue }
            if start < i { pieces.append(chunk[start ..< i]) }
            // A run of dashes or dots longer than the mark stays one token (`----`, `....`).
            var end = chunk.index(i, offsetBy: mark)
            while end < chunk.endIndex && chunk[end] == chunk[i] { end = chunk.index(after: end) }
            pieces.append(chunk[i ..< end])
            start = end
            i = end
        }
        if start < chunk.endIndex { pieces.append(chunk[start...]) }
        return pieces
    }

    /// Whether `chunk` holds `..` or `--`. An ASCII chunk (the usual case) is scanned byte by
    /// byte, which is what the string search finds there; another one is searched as before
    /// (combining marks may make a `.` part of a larger character).
    private static func hasInnerMark(_ chunk: Substring) -> Bool {
        let bytes = chunk.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return chunk.contains("..") || chunk.contains("--") }
        let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-")
        var previous: UInt8 = 0
        for b in bytes {
            if b == previous && (b == dot || b == dash) { return true }
            previous = b
        }
        return false
    }

    /// Whether `piece` is ASCII letters only, the commonest token: no mark to peel off, no
    /// clitic (each has an apostrophe) and nothing to escape, so it is its own token unless it
    /// is a fused word.
    private static func isPlainWord(_ piece: Substring) -> Bool {
        piece.utf8.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
    }

    /// Words that begin or end with an apostrophe belonging to them.
    static let apostropheWords: Set<String> = [
        "'em", "'til", "'n", "'n'", "'cause", "'bout", "ol'", "'s", "'re", "'ve", "'ll",
        "'d", "'m", "'t", "n't", "'round",
    ]

    /// Abbreviations whose final period is part of the word.
    static let abbreviations: Set<String> = [
        "mr.", "mrs.", "ms.", "dr.", "jr.", "sr.", "st.", "vs.", "etc.", "inc.", "co.", "corp.", "ltd.",
        "bros.", "vol.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "wash.", "al.", "mt.",
        "ft.", "lt.", "gen.", "col.", "prof.", "rev.", "messrs.", "mme.", "mlle.", "esp.", "approx.",
    ]

    static func tokens(ofPiece piece: Substring, next: Substring?, state: inout QuoteState) -> [String] {
        if !piece.isEmpty && isPlainWord(piece) { return splitWord(String(piece)) }
        if piece == "``" || piece == "''" {
            state.doubleOpen = piece == "``"
            return [String(piece)]
        }
        if piece == "\"" {
            defer { state.doubleOpen.toggle() }
            return [state.doubleOpen ? "''" : "``"]
        }
        if piece.first == "." || piece.first == "-", piece.allSatisfy({ $0 == piece.first }) {
            return [String(piece)]
        }
        var core = piece
        var leading: [String] = []
        var trailing: [String] = []
        while let (token, length) = leadingMark(core) {
            if token == "``" { state.doubleOpen = true }
            leading.append(token)
            core = core.dropFirst(length)
        }
        while let (token, length) = trailingMark(core, next: next) {
            if token == "''" { state.doubleOpen = false }
            trailing.insert(token, at: 0)
            core = core.dropLast(length)
        }
        var words: [String] = []
        if core == "\"" {
            // Between other marks, as in `("`: only the quotes before it tell which it is.
            words = [state.doubleOpen ? "''" : "``"]
            state.doubleOpen.toggle()
        } else if !core.isEmpty {
            words = splitWord(String(core))
        }
        return (leading + words + trailing).map(escaped)
    }

    /// The token at the start of `s` that is not part of its word, and its length.
    static func leadingMark(_ s: Substring) -> (String, Int)? {
        guard s.count > 1, let c = s.first else { return nil }
        if s.hasPrefix("``") { return ("``", 2) }
        switch c {
        case "\"": return ("``", 1)
        case "`": return ("`", 1)
        case "(", "[", "{", "$", "#": return (String(c), 1)
        case "'":
            if s.hasPrefix("''") { return ("``", 2) }
            if apostropheWords.contains(String(withoutClosing(s.lowercased()))) { return nil }
            // '70s, '53: an elided century.
            if let second = s.dropFirst().first, second.isNumber { return nil }
            return ("`", 1)
        default: return nil
        }
    }

    /// `word` without the closing punctuation after it (`'em,` → `'em`).
    private static func withoutClosing(_ word: String) -> Substring {
        var w = Substring(word)
        while let c = w.last, w.count > 1, ",.;:!?\")]}".contains(c) { w = w.dropLast() }
        return w
    }

    /// The token at the end of `s` that is not part of its word, and its length.
    static func trailingMark(_ s: Substring, next: Substring?) -> (String, Int)? {
        guard s.count > 1, let c = s.last else { return nil }
        if s.hasSuffix("''") { return ("''", 2) }
        switch c {
        case "\"": return ("''", 1)
        case ")", "]", "}", ",", ";", ":", "%", "`": return (String(c), 1)
        case "'":
            if apostropheWords.contains(String(s).lowercased()) { return nil }
            return ("'", 1)
        case "?", "!":
            let run = s.reversed().prefix { $0 == "?" || $0 == "!" }.count
            return run == s.count ? nil : (String(s.suffix(run)), run)
        case ".":
            return isAbbreviation(s, next: next) ? nil : (".", 1)
        default: return nil
        }
    }

    /// Whether the final period of `s` belongs to it.
    static func isAbbreviation(_ s: Substring, next: Substring?) -> Bool {
        let body = s.dropLast()
        guard let first = body.first, first.isLetter || first.isNumber else { return false }
        if body.contains(".") { return !body.hasSuffix(".") && body.allSatisfy { $0.isLetter || $0 == "." } }
        if body.count == 1 { return first.isUppercase }
        let lower = s.lowercased()
        if lower == "no." { return next?.first?.isNumber ?? false }
        return abbreviations.contains(lower)
    }

    static let clitics = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"]

    /// Words PTB writes as two tokens, and where they split.
    static let fusedWords: [String: Int] = ["cannot": 3]

    /// `word` with its clitic split off: `don't` → `do n't`, `it's` → `it 's`.
    static func splitWord(_ word: String) -> [String] {
        let lower = word.lowercased()
        if apostropheWords.contains(lower) { return [word] }
        if let cut = fusedWords[lower] {
            let i = word.index(word.startIndex, offsetBy: cut)
            return [String(word[..<i]), String(word[i...])]
        }
        for clitic in clitics where lower.hasSuffix(clitic) && lower.count > clitic.count {
            let cut = word.index(word.endIndex, offsetBy: -clitic.count)
            let stem = word[..<cut]
            // O'Neill's → O'Neill 's, but a bare apostrophe stem ('s's) is no word.
            guard stem.contains(where: { $0.isLetter || $0.isNumber }) else { break }
            return splitWord(String(stem)) + [String(word[cut...])]
        }
        return [word]
    }

    /// `token` spelled as the treebank writes it (the binarizer's rule).
    static func escaped(_ token: String) -> String { Treebank.escaped(token) }
}
