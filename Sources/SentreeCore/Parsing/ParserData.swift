/// Sentences and gold brackets read from a treebank, for training and scoring the parser.
public enum ParserData {
    /// The tokens of tree `t`, as the file spells them.
    public static func tokens(of t: Int, in bank: Treebank) -> [String] {
        bank.nodes(of: t).compactMap { g in
            bank.leafToken[g] < 0 ? nil : bank.tokens[Int(bank.leafToken[g])]
        }
    }
}
