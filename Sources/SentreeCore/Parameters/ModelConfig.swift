/// Shape of a model: everything needed to lay out its parameters.
public struct ModelConfig: Codable, Sendable, Equatable {
    public var kind: ModelKind
    /// Width `d` of composed node vectors (and of word vectors, unless `inputDim` is set).
    public var dim: Int
    /// Width of the word vectors (rows of `L`) where a model reads words through its own
    /// input weights (the Tree-LSTM); `nil` means `dim`. Absent in older checkpoints.
    public var inputDim: Int?
    /// Width `m` of the second layer (rnn2 only; ignored for rnn).
    public var middle: Int
    /// Rows of the embedding matrix `L`, including the UNK row 0.
    public var vocabularySize: Int
    /// Number of sentiment classes (5 for SST).
    public var classes: Int
    /// Width of the classifier's hidden layer between a node's state and the softmax
    /// (`--classifier-hidden`); `nil`: none, the softmax reads the state (older checkpoints).
    public var classifierHidden: Int?

    public init(
        kind: ModelKind, dim: Int, middle: Int? = nil, inputDim: Int? = nil, vocabularySize: Int,
        classes: Int = 5, classifierHidden: Int? = nil
    ) {
        self.kind = kind
        self.dim = dim
        self.inputDim = inputDim
        self.middle = middle ?? dim
        self.vocabularySize = vocabularySize
        self.classes = classes
        self.classifierHidden = classifierHidden
    }

    /// Width of a node's output vector, which the classifier reads: `m` for rnn2, `d` otherwise.
    public var outputWidth: Int { kind == .rnn2 ? middle : dim }
    /// Width of the vector the softmax reads: the hidden layer's, or the output vector's.
    public var softmaxWidth: Int { classifierHidden ?? outputWidth }
    /// Width of a word vector: a row of `L`.
    public var inputWidth: Int { inputDim ?? dim }
}

/// A tensor a model declares: its name, shape, and whether L2 regularization applies.
public struct TensorSpec: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let regularized: Bool

    public init(_ name: String, _ shape: [Int], regularized: Bool) {
        self.name = name; self.shape = shape; self.regularized = regularized
    }
}

/// Where each parameter tensor lives inside the one contiguous parameter buffer.
///
/// Order: L [V × x] first (x = `inputWidth`) (its rows are updated sparsely), then the model's own tensors
/// (`ModelKind.tensors`; for rnn W [d × 2d], b [d], and for rnn2 also W2 [m × d], b2 [m]),
/// then the classifier every model shares: with a hidden layer of width H, Wc [H × o] and
/// bc [H]; then the softmax U [C × s], bs [C]. All row-major; `o` is `outputWidth`, `s` is
/// `softmaxWidth` (H, or o without the hidden layer).
public struct ParameterLayout: Sendable, Equatable {
    /// One named tensor: its name, shape and offset in the flat buffer.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        public var range: Range<Int> { offset ..< offset + count }
        /// Whether L2 regularization applies (weight matrices, not biases or embeddings).
        public let regularized: Bool
    }

    public let config: ModelConfig
    public let tensors: [Tensor]
    public let L: Tensor, U: Tensor, bs: Tensor
    /// Total number of scalars.
    public let count: Int

    /// The layout of `config` with the model's own tensors `modelTensors` (the catalog's
    /// `init(_:)` supplies them).
    public init(_ config: ModelConfig, modelTensors: [TensorSpec]) {
        self.config = config
        var list: [Tensor] = []
        var offset = 0
        func add(_ spec: TensorSpec) -> Tensor {
            let t = Tensor(name: spec.name, shape: spec.shape, offset: offset, regularized: spec.regularized)
            offset += t.count
            list.append(t)
            return t
        }
        L = add(TensorSpec("L", [config.vocabularySize, config.inputWidth], regularized: false))
        for spec in modelTensors { _ = add(spec) }
        if let hidden = config.classifierHidden {
            _ = add(TensorSpec("Wc", [hidden, config.outputWidth], regularized: true))
            _ = add(TensorSpec("bc", [hidden], regularized: false))
        }
        U = add(TensorSpec("U", [config.classes, config.softmaxWidth], regularized: true))
        bs = add(TensorSpec("bs", [config.classes], regularized: false))
        tensors = list
        count = offset
    }

    /// The tensor with this name, if the model has it.
    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// The composition matrix of rnn and rnn2.
    public var W: Tensor { tensor(named: "W")! }
    /// The composition bias of rnn and rnn2.
    public var b: Tensor { tensor(named: "b")! }
    /// rnn2's second layer.
    public var W2: Tensor? { tensor(named: "W2") }
    public var b2: Tensor? { tensor(named: "b2") }
    /// The classifier's hidden layer (`ModelConfig.classifierHidden`), if it has one.
    public var Wc: Tensor? { tensor(named: "Wc") }
    public var bc: Tensor? { tensor(named: "bc") }
}
