/// Which tree model to train.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// One ReLU composition layer, softmax on `h` at every node.
    case rnn
    /// Composition layer plus a second ReLU layer `h2 = relu(W2 h + b2)`, softmax on `h2`.
    case rnn2
}

/// Shape of a model: everything needed to lay out its parameters.
public struct ModelConfig: Codable, Sendable, Equatable {
    public var kind: ModelKind
    /// Width `d` of word vectors and composed node vectors.
    public var dim: Int
    /// Width `m` of the second layer (rnn2 only; ignored for rnn).
    public var middle: Int
    /// Rows of the embedding matrix `L`, including the UNK row 0.
    public var vocabularySize: Int
    /// Number of sentiment classes (5 for SST).
    public var classes: Int

    public init(kind: ModelKind, dim: Int, middle: Int? = nil, vocabularySize: Int, classes: Int = 5) {
        self.kind = kind
        self.dim = dim
        self.middle = middle ?? dim
        self.vocabularySize = vocabularySize
        self.classes = classes
    }

    /// Width of the vector the softmax reads: `d` for rnn, `m` for rnn2.
    public var outputWidth: Int { kind == .rnn ? dim : middle }
}

/// Where each parameter tensor lives inside the one contiguous parameter buffer.
///
/// Order: L [V×d], W [d×2d], b [d], W2 [m×d], b2 [m] (rnn2 only), U [C×o], bs [C],
/// all row-major. `o` is `outputWidth`.
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
    public let L: Tensor, W: Tensor, b: Tensor, U: Tensor, bs: Tensor
    public let W2: Tensor?, b2: Tensor?
    /// Total number of scalars.
    public let count: Int

    public init(_ config: ModelConfig) {
        self.config = config
        var list: [Tensor] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int], _ regularized: Bool) -> Tensor {
            let t = Tensor(name: name, shape: shape, offset: offset, regularized: regularized)
            offset += t.count
            list.append(t)
            return t
        }
        let d = config.dim, m = config.middle, c = config.classes
        L = add("L", [config.vocabularySize, d], false)
        W = add("W", [d, 2 * d], true)
        b = add("b", [d], false)
        if config.kind == .rnn2 {
            W2 = add("W2", [m, d], true)
            b2 = add("b2", [m], false)
        } else {
            W2 = nil
            b2 = nil
        }
        U = add("U", [c, config.outputWidth], true)
        bs = add("bs", [c], false)
        tensors = list
        count = offset
    }

    /// The tensor with this name, if the model has it.
    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }
}
