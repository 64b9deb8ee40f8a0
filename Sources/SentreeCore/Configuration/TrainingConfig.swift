import Foundation

/// Optimizer used for minibatch updates.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    case adagrad
    case sgd
}

/// Hyperparameters of a training run (everything a checkpoint needs to continue it).
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var model: ModelKind = .rnn
    public var dim = 30
    /// Width of the second layer for rnn2 (defaults to `dim`).
    public var middle: Int? = nil
    /// Width of the word vectors, for models with their own input weights (treelstm);
    /// `nil`: the model's default (`dim` for the others).
    public var inputDim: Int? = nil
    public var epochs = 20
    public var batchSize = 25
    public var learningRate = 0.02
    public var optimizer: OptimizerKind = .adagrad
    /// L2 strength on the weight matrices W, W2, U: adds `l2/2 · ‖W‖²` per minibatch to the
    /// mean per-tree loss.
    public var l2 = 1e-3
    /// L2 strength on the classifier `U` alone (`nil`: `l2`).
    public var l2Classifier: Double? = nil
    /// L2 strength on the word vectors, applied to the rows of `L` each minibatch uses
    /// (`nil`: 0, word vectors not decayed, as in runs older than this field).
    public var l2Words: Double? = nil
    public var seed: UInt64 = 1
    /// Worker threads that split each minibatch (0 = all cores).
    public var threads = 0
    /// Lower-case tokens before vocabulary lookup.
    public var lowercase = true
    /// Absolute path of the directory with `train.txt` and `dev.txt` the run trains on, so
    /// `--resume` needs nothing but the run (`nil` in runs older than this field).
    public var dataDirectory: String? = nil
    /// Pretrained word vectors (GloVe or word2vec text, absolute path) that initialize `L`.
    public var embeddings: String? = nil
    /// Learning-rate multiplier for the rows of `L` (`nil`: 1; 0 freezes the word vectors).
    public var embeddingLRScale: Double? = nil
    /// Inverted dropout rate on the softmax input during training (`nil`: 0, as in runs older
    /// than this field). See `Dropout`.
    public var dropout: Double? = nil
    /// Word dropout's α: a training leaf whose word occurs c times in the training trees reads
    /// `<unk>` with probability α/(c + α) (`nil`: 0, as in runs older than this field). See
    /// `WordDropout`.
    public var wordDropout: Double? = nil
    /// AdaGrad's Σg² is zeroed before every epoch after the first whose number is 1 more than a
    /// multiple of this (every epoch for 1), so the step sizes do not decay to nothing over a
    /// long run, as in CoreNLP's RNTN trainer. `nil` or 0: never (runs older than this field).
    public var adagradReset: Int? = nil
    /// AdaGrad's ε, added to √Σg² in every step (`nil`: `defaultAdagradEpsilon`, as in runs
    /// older than this field). A larger ε shrinks the steps of parameters whose gradients
    /// stay small, such as the RNTN's tensor (CoreNLP's RNTN trainer uses 1e-3).
    public var adagradEpsilon: Double? = nil
    /// Inverted dropout rate on the word vectors the leaves read, during training (`nil`: 0,
    /// as in runs older than this field). See `Dropout`.
    public var leafDropout: Double? = nil
    /// Inverted dropout rate on each child's state as its parent reads it, during training
    /// (`nil`: 0, as in runs older than this field). See `Dropout` and docs/models/.
    public var stateDropout: Double? = nil
    /// Width of a tanh hidden layer between each node's state and the softmax (`nil` or 0:
    /// none, the softmax reads the state, as in runs older than this field). See `HiddenLayer`.
    public var classifierHidden: Int? = nil
    /// Seconds between automatic saves of `last` (`nil`: `defaultSaveInterval`).
    public var saveInterval: Double? = nil
    /// What the run learns (`nil`: `.fine`, the 5 classes, as in runs older than this field).
    /// See `SentimentTask` and `sentimentTask`.
    public var task: SentimentTask? = nil
    /// For the binary task, whether training keeps the trees whose root is neutral (`nil`:
    /// dropped, as in runs older than this field and in Tai et al.'s code). See `NeutralRoots`.
    public var neutralRoots: NeutralRoots? = nil
    /// Dev evaluations (and `best` selection) inside an epoch, besides the one at its end
    /// (`nil`: at epoch ends only, as in runs older than this field). See `DevInterval`.
    public var devEvery: DevInterval? = nil
    /// The learning rate is multiplied by `lrPlateauFactor` after this many dev evaluations
    /// in a row without a gain in fine root (`nil`: never, as in runs older than this field).
    public var lrPlateau: Int? = nil
    /// The plateau's multiplier (`nil`: `defaultPlateauFactor`).
    public var lrPlateauFactor: Double? = nil
    /// Training stops after this many dev evaluations in a row without a gain in fine root
    /// (`nil`: never, as in runs older than this field).
    public var patience: Int? = nil
    /// The update rule of the word vectors (rows of `L`) when it differs from `optimizer`, at
    /// `wordLearningRate` (`nil`: `optimizer` at `embeddingLRScale` × the learning rate).
    public var wordOptimizer: OptimizerKind? = nil
    /// The word vectors' starting rate with `wordOptimizer` (`nil`: `learningRate`). It moves
    /// with the learning rate (plateau cuts, the dashboard's changes) in proportion.
    public var wordLearningRate: Double? = nil

    /// `last` is rewritten at most this often mid-run by default (always on stop and at the end).
    public static let defaultSaveInterval = 10.0
    /// AdaGrad's ε where neither the model nor the user chooses one.
    public static let defaultAdagradEpsilon = 1e-8

    public init() {}

    /// `  dropout P` when the run drops units, else nothing: headers show it only when non-zero.
    public var dropoutDescription: String {
        guard let dropout, dropout > 0 else { return "" }
        return "  dropout \(dropout)"
    }

    /// `  leaf dropout P` and `  state dropout P` when set, else nothing.
    public var recipeDropoutDescription: String {
        var text = ""
        if let p = leafDropout, p > 0 { text += "  leaf dropout \(p)" }
        if let p = stateDropout, p > 0 { text += "  state dropout \(p)" }
        return text
    }

    /// The hidden layer's width, `nil` when the softmax reads the node's state (0 means none).
    public var hiddenWidth: Int? { classifierHidden.flatMap { $0 > 0 ? $0 : nil } }

    /// The model's shape for a vocabulary of `vocabularySize` words.
    public func modelConfig(vocabularySize: Int) -> ModelConfig {
        ModelConfig(
            kind: model, dim: dim, middle: middle, inputDim: inputDim, vocabularySize: vocabularySize,
            classes: sentimentTask.classes, classifierHidden: hiddenWidth)
    }

    /// `  word dropout α` when leaves are replaced by `<unk>` in training, else nothing.
    public var wordDropoutDescription: String {
        guard let wordDropout, wordDropout > 0 else { return "" }
        return "  word dropout \(wordDropout)"
    }

    /// `l2 λ`, followed by the strengths that differ from it: `l2 0.001 (U 0.0001, words 0.0001)`.
    public var l2Description: String {
        var parts: [String] = []
        if let u = l2Classifier, u != l2 { parts.append("U \(u)") }
        if let words = l2Words, words != 0 { parts.append("words \(words)") }
        return "l2 \(l2)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }

    /// Whether AdaGrad's Σg² is zeroed before the first step of `epoch` (1-based): only at the
    /// start of epochs 1 + k·N, k ≥ 1, for `adagradReset` N > 0, and only with AdaGrad.
    public func resetsAccumulator(beforeEpoch epoch: Int) -> Bool {
        guard optimizer == .adagrad, let every = adagradReset, every > 0, epoch > 1 else { return false }
        return (epoch - 1) % every == 0
    }

    /// `  reset every epoch` (or `every N epochs`) when AdaGrad's sums are reset, else nothing.
    public var adagradResetDescription: String {
        guard optimizer == .adagrad, let every = adagradReset, every > 0 else { return "" }
        return every == 1 ? "  reset every epoch" : "  reset every \(every) epochs"
    }

    /// `  ε E` when AdaGrad's ε is not the default, else nothing.
    public var adagradEpsilonDescription: String {
        guard optimizer == .adagrad, let e = adagradEpsilon, e != Self.defaultAdagradEpsilon else {
            return ""
        }
        return "  ε \(e)"
    }

    /// The training settings as headers show them, most telling first: the optimizer, L2,
    /// then dropout (classifier, leaf, state), word dropout, the binary task's training on
    /// neutral roots, AdaGrad's reset and ε, the word
    /// vectors' optimizer and the dev schedule when set, then batch and seed.
    public var settingDescriptions: [String] { rankedSettingDescriptions.map(\.text) }

    /// `settingDescriptions`, each with how much it is worth keeping where not all fit (0
    /// first): the word vectors' optimizer and the dev schedule, which change what the run
    /// does while it trains (a cut rate, an early stop); the optimizer, L2 and dropout; AdaGrad's
    /// reset and ε; batch and seed, whose defaults rarely change.
    public var rankedSettingDescriptions: [(text: String, rank: Int)] {
        let ranked =
            [
                (optimizer.rawValue, 1), (l2Description, 1), (dropoutDescription, 1),
                (recipeDropoutDescription, 1), (wordDropoutDescription, 1), (neutralRootsDescription, 1),
                (adagradResetDescription, 2),
                (adagradEpsilonDescription, 2),
            ] + recipeDescriptions.map { ($0, 0) } + [("batch \(batchSize)", 3), ("seed \(seed)", 3)]
        return ranked.map { (text: $0.0.trimmingCharacters(in: .whitespaces), rank: $0.1) }
            .filter { !$0.text.isEmpty }
    }

    /// `0.5`, `0.5 w1`, `w1` or `0.5 x0.25 h0.25`: the dropout rate, word dropout's α, and the
    /// leaf (x) and state (h) dropout rates, for tables; `-` for none.
    public var dropoutCell: String {
        var parts: [String] = []
        if let p = dropout, p > 0 { parts.append(String(format: "%g", p)) }
        if let p = leafDropout, p > 0 { parts.append("x" + String(format: "%g", p)) }
        if let p = stateDropout, p > 0 { parts.append("h" + String(format: "%g", p)) }
        if let alpha = wordDropout, alpha > 0 { parts.append("w" + String(format: "%g", alpha)) }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }

    /// The model and its widths as people write them: `rnn d=30`, `rnn2 d=30 m=20`,
    /// with `x=300` where the word vectors have their own width and `mlp=64` where the
    /// classifier has a hidden layer.
    public var shapeDescription: String {
        var text = "\(model.rawValue) d=\(dim)"
        if model == .rnn2 { text += " m=\(middle ?? dim)" }
        if let inputDim { text += " x=\(inputDim)" }
        if let hiddenWidth { text += " mlp=\(hiddenWidth)" }
        return text
    }
}

extension ModelKind {
    /// What `train` uses where the user gives no flag: the model's width and the settings
    /// that did best for it on dev (never test), which each model's file explains.
    public var trainingDefaults: TrainingConfig {
        var c = TrainingConfig()
        c.model = self
        c.dim = defaultDim
        c.inputDim = defaultInputDim
        let r = recommended
        if let v = r.learningRate { c.learningRate = v }
        if let v = r.l2 { c.l2 = v }
        c.dropout = r.dropout ?? c.dropout
        c.wordDropout = r.wordDropout ?? c.wordDropout
        c.adagradReset = r.adagradReset ?? c.adagradReset
        c.adagradEpsilon = r.adagradEpsilon ?? c.adagradEpsilon
        c.leafDropout = r.leafDropout ?? c.leafDropout
        c.stateDropout = r.stateDropout ?? c.stateDropout
        c.devEvery = r.devEveryEpochFraction.map(DevInterval.epochFraction) ?? c.devEvery
        c.patience = r.patience ?? c.patience
        return c
    }
}
