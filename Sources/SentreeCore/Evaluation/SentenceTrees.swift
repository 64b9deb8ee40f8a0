import Foundation

/// How the tree of a probe or a prediction came about.
public enum TreeStructure: Sendable, Equatable {
    /// The user typed a PTB tree.
    case given
    /// A trained parser bracketed the sentence; its dev bracket F1 in percent if its file says.
    case parsed(devF1: Double?)
    /// The fixed rule bracketed it (final punctuation on top, the rest right-branching): no parser.
    case approximate

    /// `parsed · F1 76.9` (`parsed` alone without a recorded F1), `approximate`, or nil for a
    /// given tree: what the CLI and the dashboard print beside a tree.
    public var note: String? {
        switch self {
        case .given: nil
        case .parsed(let f1): "parsed" + (f1.map { " · F1 " + String(format: "%.1f", $0) } ?? "")
        case .approximate: "approximate"
        }
    }
}

/// What turns plain sentences into unlabeled trees: a parser, or the fixed rule.
///
/// Declared here, below the parser, so that probes and the probes file (which sit below it)
/// can take whichever the command that owns them has.
public protocol SentenceTrees: Sendable {
    /// How the trees of plain sentences are made.
    var structure: TreeStructure { get }
    /// One unlabeled tree per sentence that has tokens; `lines[t]` is the 1-based position in
    /// `sentences` of tree `t`'s sentence. A sentence that breaks the input rules throws a
    /// `TreebankError` at line = its position, as `Treebank.fromSentences` does.
    func treebank(of sentences: [String], source: String) throws -> Treebank
}

/// The fixed rule of `Treebank.fromSentences`, for when there is no parser.
public struct RightBranchingTrees: SentenceTrees {
    public init() {}
    public var structure: TreeStructure { .approximate }
    public func treebank(of sentences: [String], source: String) throws -> Treebank {
        try Treebank.fromSentences(sentences, source: source)
    }
}
