/// Which tree model to train. Each kind's code is registered in `ModelKind.model`
/// (`Models/ModelCatalog.swift`).
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// One ReLU composition layer, softmax on `h` at every node.
    case rnn
    /// Composition layer plus a second ReLU layer `h2 = relu(W2 h + b2)`, softmax on `h2`.
    case rnn2
    /// Recursive neural tensor network: `h = tanh(xᵀV[1:d]x + Wx + b)`, softmax on `h`.
    case rntn
    /// Binary constituency Tree-LSTM (Tai et al. 2015): gated memory cells, softmax on `h`.
    case treelstm
}
