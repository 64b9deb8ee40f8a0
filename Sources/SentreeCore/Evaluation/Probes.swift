import Foundation

/// A sentence or tree a user watches while a model trains: its tree, predicted again at
/// every new parameter snapshot.
public struct Probe: Sendable, Equatable {
    /// The text as given (trimmed): a PTB tree, or a sentence (see `init(parsing:)`).
    public let text: String
    /// One tree: the given one, or the sentence's tree from `sentences`, as `predict` makes it.
    public let treebank: Treebank
    /// Given, parsed or approximate.
    public let structure: TreeStructure

    /// Whether the structure is a guess (a plain sentence binarized without a parser).
    public var approximate: Bool { structure == .approximate }

    /// Parses a probe with the rules of `sentree predict` when it guesses: text starting with
    /// `(` is a PTB tree (`Treebank.parse` without required labels), and if it is no tree but
    /// reads as a sentence ("(Honestly) the plot …"), a sentence; other text is a sentence of
    /// `sentences`. Hostile text fails the same way; errors name `source`, line 1, and the
    /// column (the tree's error when the text is neither).
    public init(
        parsing raw: String, source: String, sentences: any SentenceTrees = RightBranchingTrees()
    ) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw InputError(
                source: source, line: 1, column: 1, message: "empty probe: type a sentence or a tree")
        }
        let sentence = { (try sentences.treebank(of: [text], source: source), given: false) }
        let (treebank, given) =
            text.hasPrefix("(")
            ? try treeOrSentence(
                tree: { (try Treebank.parse(text, source: source, requireLabels: false), given: true) },
                sentence: sentence)
            : try sentence()
        guard treebank.count == 1 else {
            throw InputError(
                source: source, line: 1, column: 1,
                message: "a probe is one tree; this line holds \(treebank.count)")
        }
        self.text = text
        self.treebank = treebank
        structure = given ? .given : sentences.structure
    }

    /// Two probes are the same when their texts are (the tree follows from the text).
    public static func == (a: Probe, b: Probe) -> Bool { a.text == b.text }

    /// Leaf word ids under `vocabulary` (unknown words are row 0, `<unk>`, as in `predict`).
    public func wordIDs(_ vocabulary: Vocabulary) -> [Int32] { vocabulary.encode(treebank) }
}
