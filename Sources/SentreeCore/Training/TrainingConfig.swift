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
    /// Seconds between automatic saves of `last` (`nil`: `defaultSaveInterval`).
    public var saveInterval: Double? = nil

    /// `last` is rewritten at most this often mid-run by default (always on stop and at the end).
    public static let defaultSaveInterval = 10.0

    public init() {}

    /// `  dropout P` when the run drops units, else nothing: headers show it only when non-zero.
    public var dropoutDescription: String {
        guard let dropout, dropout > 0 else { return "" }
        return "  dropout \(dropout)"
    }

    /// The model and its widths as people write them: `rnn d=30`, `rnn2 d=30 m=20`,
    /// with `x=300` where the word vectors have their own width.
    public var shapeDescription: String {
        var text = "\(model.rawValue) d=\(dim)"
        if model == .rnn2 { text += " m=\(middle ?? dim)" }
        if let inputDim { text += " x=\(inputDim)" }
        return text
    }
}
