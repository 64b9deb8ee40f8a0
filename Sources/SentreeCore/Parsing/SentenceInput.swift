/// A line of user text turned into the tokens the parser reads, under the treebank's rules.
public enum SentenceInput {
    /// The tokens of `line`, or the first rule it breaks, located at line `line` and the
    /// column the user typed: control characters (TAB included) are rejected, as are words over
    /// `InputText.maximumTokenBytes`, lines over `InputText.maximumLineBytes` and sentences
    /// whose tree would exceed `Treebank.maximumTreeNodes` nodes.
    public static func tokens(of text: String, line: Int, source: String) throws(TreebankError) -> [String] {
        try Treebank.validate(text, line: line, source: source)
        let tokens = Tokenizer.tokens(of: text)
        if 2 * tokens.count - 1 > Treebank.maximumTreeNodes {
            throw TreebankError(
                source: source, line: line, column: 1,
                message: "sentence of \(tokens.count) "
                    + "tokens makes a tree larger than the limit of \(Treebank.maximumTreeNodes) nodes")
        }
        return tokens
    }
}
