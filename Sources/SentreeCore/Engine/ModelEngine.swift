/// A model's engine, whichever model it is: a `ShardedRunner`'s entry points as closures.
///
/// Built where the model type is concrete (each model's `engine(_:…)`, specialized for
/// Float and Double), so every closure calls the runner's specialized code. A call through
/// an existential `any` runner would reach its generic, unspecialized code instead (hundreds
/// of times slower). The closures are called once per minibatch or tree, never per node.
struct ModelEngine<T: ModelScalar>: Sendable {
    typealias Shards = (loss: Double, nodes: Int, shards: [Gradient<T>])
    typealias Merged = (loss: Double, nodes: Int, gradient: Gradient<T>)

    let threads: Int
    /// The runner's worker threads, which the optimizer's update also uses.
    let pool: WorkerPool
    let load: @Sendable ([T]) -> Void
    let shardGradients: @Sendable ([Int], EncodedTreebank, [T], Dropout?) -> Shards
    let lossAndGradient: @Sendable ([Int], EncodedTreebank, [T], Dropout?) -> Merged
    let evaluate: @Sendable (EncodedTreebank, [T]) -> (metrics: Metrics, outcomes: [TreeOutcome])
    /// Tree, data, parameters and the engine slot to run on.
    let predict: @Sendable (Int, EncodedTreebank, [T], Int) -> TreePrediction
    let nodeProbabilities: @Sendable (EncodedTreebank, [T]) -> [Float]

    init<M: LevelModel>(_ r: ShardedRunner<M>) where M.T == T {
        threads = r.threads
        pool = r.pool
        load = { r.load(parameters: $0) }
        shardGradients = { r.shardGradients(trees: $0, data: $1, parameters: $2, dropout: $3) }
        lossAndGradient = { r.lossAndGradient(trees: $0, data: $1, parameters: $2, dropout: $3) }
        evaluate = { r.evaluate($0, parameters: $1) }
        predict = { r.predict(tree: $0, data: $1, parameters: $2, slot: $3) }
        nodeProbabilities = { r.nodeProbabilities($0, parameters: $1) }
    }
}
