extension Treebank {
    /// Bracket tokens that the Penn Treebank spells out so they cannot be confused with
    /// tree structure.
    static let bracketEscapes: [String: String] = [
        "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
    ]

    /// The human-readable form of a PTB token: `-LRB-` → `(`, `-RSB-` → `]`, `\/` → `/`,
    /// `\*` → `*`, and so on; any other token is returned unchanged.
    ///
    /// Only whole-token bracket escapes are undone (a word merely containing `-LRB-` is
    /// left alone); backslash escapes are undone anywhere in the token (`1\/2` → `1/2`).
    public static func displayText(ofToken raw: String) -> String {
        if let bracket = bracketEscapes[raw] { return bracket }
        guard raw.utf8.contains(UInt8(ascii: "\\")) else { return raw }
        return raw.replacing("\\/", with: "/").replacing("\\*", with: "*")
    }

    /// Display text of the words under node `local` of tree `t`, joined by single spaces.
    ///
    /// A post-order subtree's leaves are consecutive entries of `tokens`, so only the
    /// leftmost and rightmost leaves have to be found (O(depth + words)).
    public func phrase(tree t: Int, node local: Int) -> String {
        let base = Int(treeStart[t])
        precondition(local >= 0 && base + local < Int(treeStart[t + 1]), "node \(local) is not in tree \(t)")
        var first = local, last = local
        while left[base + first] >= 0 { first = Int(left[base + first]) }
        while right[base + last] >= 0 { last = Int(right[base + last]) }
        let from = Int(leafToken[base + first]), to = Int(leafToken[base + last])
        return tokens[from ... to].lazy.map(Self.displayText(ofToken:)).joined(separator: " ")
    }

    /// Display text of the whole sentence of tree `t`.
    public func sentence(tree t: Int) -> String {
        phrase(tree: t, node: nodes(of: t).count - 1)
    }
}
