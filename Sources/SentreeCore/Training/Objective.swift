/// The training objective, shared by the trainer and the gradient check:
///
///     J(θ) = scale · Σ_trees Σ_nodes CE(node) + (λ/2) · (‖W‖² + ‖W2‖² + ‖U‖²)
///
/// with `scale = 1/B` for a minibatch of B trees. Biases and word vectors are not decayed.
/// (Training can also give `U` its own λ and decay the rows of `L` a minibatch uses; see
/// `Optimizer.classifierL2` and `wordL2`. The gradient check keeps to the one λ above.)
extension Gradient {
    /// Turns the summed cross-entropy gradient into the gradient of J.
    public mutating func finishObjective(scale: T, l2: T, parameters: [T]) {
        for i in dense.indices { dense[i] *= scale }
        for i in rowValues.indices { rowValues[i] *= scale }
        guard l2 != 0 else { return }
        let base = layout.L.count
        for t in layout.tensors where t.regularized {
            for i in t.range { dense[i - base] += l2 * parameters[i] }
        }
    }
}

extension ParameterLayout {
    /// The L2 term (λ/2)·Σ‖·‖² over the regularized tensors.
    public func l2Penalty<T: ModelScalar>(_ parameters: [T], l2: Double) -> Double {
        guard l2 != 0 else { return 0 }
        var sum = 0.0
        for t in tensors where t.regularized {
            for i in t.range { sum += Double(parameters[i]) * Double(parameters[i]) }
        }
        return 0.5 * l2 * sum
    }
}
