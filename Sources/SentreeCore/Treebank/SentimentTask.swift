/// What a run learns from the SST: the 5 fine-grained classes, or SST-2 as Tai et al.'s
/// Tree-LSTM code sets it up.
///
/// `binary` (SST-2): sentences whose root is neutral are dropped, every node's label maps to
/// negative (0, 1 → 0), neutral (2 → 1) or positive (3, 4 → 2), and the model's softmax has
/// those 3 classes; a node is predicted positive iff P(positive) > P(negative), ignoring
/// P(neutral). The neutral class stays in training because most phrases are neutral: the
/// sentence-level task is binary, the node-level supervision is not. Training may keep the
/// trees with a neutral root (`prepare(_:keepNeutralRoots:)`): their phrases are labelled too.
public enum SentimentTask: String, Codable, Sendable, CaseIterable {
    case fine
    case binary

    /// Classes of the model's softmax.
    public var classes: Int {
        switch self {
        case .fine: 5
        case .binary: 3
        }
    }

    /// The task a model with this many classes was trained for (`nil` for any other count).
    public init?(classes: Int) {
        guard let task = Self.allCases.first(where: { $0.classes == classes }) else { return nil }
        self = task
    }

    /// The neutral class among the model's classes: the middle one.
    public var neutral: UInt8 { UInt8(classes / 2) }

    /// `task fine (SST-5)` or `task binary (SST-2)`, as headers and `eval` say it.
    public var description: String {
        switch self {
        case .fine: "task fine (SST-5)"
        case .binary: "task binary (SST-2)"
        }
    }

    /// Names of the model's classes, in order.
    public var classNames: [String] {
        switch self {
        case .fine: ["very negative", "negative", "neutral", "positive", "very positive"]
        case .binary: ["negative", "neutral", "positive"]
        }
    }

    /// What "fine" accuracy (argmax over every class) is called for this task: `fine` for the
    /// 5 classes, `3-class` for negative / neutral / positive.
    public var argmaxName: String { self == .fine ? "fine" : "3-class" }

    /// The model's class for an SST label 0…4; `Treebank.unlabeled` stays unlabeled.
    public func label(_ sst: UInt8) -> UInt8 {
        guard self == .binary, sst < 5 else { return sst }
        return sst < 2 ? 0 : sst == 2 ? 1 : 2
    }

    /// The SST class (0…4) a model class is drawn as: for `binary`, negative, neutral and
    /// positive show as SST's 1, 2 and 3, so colours and symbols keep their meaning.
    public func displayClass(_ label: UInt8) -> UInt8 {
        guard self == .binary, label < 3 else { return label }
        return label + 1
    }

    /// `treebank` as this task reads it: unchanged for `fine`; for `binary`, without the trees
    /// whose root is neutral (unless `keepNeutralRoots`) and with every label mapped by
    /// `label(_:)`. Kept trees keep their source lines, so errors and the tree browser still
    /// point into the file.
    public func prepare(_ treebank: Treebank, keepNeutralRoots: Bool = false) -> Treebank {
        guard self == .binary else { return treebank }
        var out = Treebank(source: treebank.source)
        for t in 0 ..< treebank.count {
            let r = treebank.nodes(of: t)
            guard keepNeutralRoots || treebank.labels[r.upperBound - 1] != 2 else { continue }
            for i in r {
                out.labels.append(label(treebank.labels[i]))
                out.left.append(treebank.left[i])
                out.right.append(treebank.right[i])
                let token = treebank.leafToken[i]
                if token >= 0 {
                    out.leafToken.append(Int32(out.tokens.count))
                    out.tokens.append(treebank.tokens[Int(token)])
                } else {
                    out.leafToken.append(-1)
                }
            }
            out.treeStart.append(Int32(out.labels.count))
            out.lines.append(treebank.lines[t])
        }
        return out
    }
}

/// What a binary-task run trains on: all training trees, or (as Tai et al.'s code does) only
/// those whose root is not neutral. Dev and test always drop neutral roots: SST-2's sentences.
public enum NeutralRoots: String, Codable, Sendable, CaseIterable {
    case keep
    case drop
}

/// Whether a node's distribution `p` over a task's classes calls it positive: P(3)+P(4) >
/// P(0)+P(1) for the 5 classes, P(positive) > P(negative) for the binary task's 3; neutral
/// is ignored either way. `false` for any other number of classes.
public func isPositive<C: RandomAccessCollection>(_ p: C) -> Bool
where C.Element: FloatingPoint, C.Index == Int {
    let s = p.startIndex
    switch p.count {
    case 5: return p[s + 3] + p[s + 4] > p[s] + p[s + 1]
    case 3: return p[s + 2] > p[s]
    default: return false
    }
}
