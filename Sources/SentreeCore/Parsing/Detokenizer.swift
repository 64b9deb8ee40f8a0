/// Turns SST tokens back into text as a person would type it, to measure the tokenizer on
/// sentences whose true tokens are known (`sentree parser check-tokenizer`).
///
/// Clitics and closing punctuation join the word before them (`do n't` → `don't`,
/// `ca n't` → `can't`, `film ,` → `film,`), opening marks join the word after them
/// (`-LRB- 2002 -RRB-` → `(2002)`, ``` `` ``` → `"`, `` ` `` → `'`, `$ 9` → `$9`), and
/// escapes are undone (`\/` → `/`). `...` joins the word before it; `--` and `-` stand alone.
public enum Detokenizer {
    /// Tokens written without a space before them.
    static let closing: Set<String> = [
        ",", ".", ";", ":", "?", "!", "%", "''", "'", "...", "-RRB-", "-RSB-", "-RCB-",
        "n't", "'s", "'re", "'ve", "'ll", "'d", "'m",
    ]
    /// Tokens written without a space after them.
    static let opening: Set<String> = ["``", "`", "-LRB-", "-LSB-", "-LCB-", "$", "#"]

    public static func text(of tokens: [String]) -> String {
        var out = ""
        var glueNext = true
        for token in tokens {
            let lower = token.lowercased()
            let glued =
                closing.contains(token) || closing.contains(lower)
                || lower.allSatisfy { $0 == "?" || $0 == "!" }
            if !(glueNext || glued) { out += " " }
            out += surface(token)
            glueNext = opening.contains(token)
        }
        return out
    }

    static func surface(_ token: String) -> String {
        switch token {
        case "``", "''": return "\""
        case "`": return "'"
        default: return Treebank.displayText(ofToken: token)
        }
    }
}
