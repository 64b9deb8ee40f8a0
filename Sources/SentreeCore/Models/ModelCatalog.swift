/// What the catalog needs of a model beyond its passes: the model's face to the rest of
/// sentree. Every requirement but `engine` has a default, so a model states only what it
/// does differently.
protocol RegisteredModel: LevelModel {
    /// Fills the classifier `U` with fresh training values (default: `N(0, 1/s)` for a fan-in
    /// of s, the softmax's input width).
    static func initializeClassifier(
        _ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64)
    /// The settings `train` uses where the user gives no flag, beyond `TrainingConfig`'s own.
    static var recommended: RecommendedSettings { get }
    /// The finite-difference step of the gradient check: ReLU models need one that stays clear
    /// of the kink; smooth models take a larger one, which shrinks the rounding noise ulp(J)/ε.
    static var gradientCheckStep: Double { get }
    /// This model's engine in precision `U` with `threads` workers.
    static func engine<U: ModelScalar>(
        _: U.Type, layout: ParameterLayout, parameters: [U], threads: Int,
        capacity: Int, gradients: Bool
    ) -> ModelEngine<U>
}

extension RegisteredModel {
    static func initializeClassifier(
        _ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64
    ) {
        let sd = (1 / Double(layout.config.softmaxWidth)).squareRoot()
        for i in layout.U.range { p[i] = Float(g.normal() * sd) }
    }
    static var recommended: RecommendedSettings { RecommendedSettings() }
    static var gradientCheckStep: Double { 1e-4 }
}

/// Training settings a model recommends for itself, found on dev (never test); `nil` keeps
/// `TrainingConfig`'s own default. Each model's file says where its values come from.
public struct RecommendedSettings: Sendable, Equatable {
    public var learningRate: Double?
    public var l2: Double?
    public var dropout: Double?
    public var wordDropout: Double?
    public var adagradReset: Int?
    public var adagradEpsilon: Double?
    public var leafDropout: Double?
    public var stateDropout: Double?
    /// Dev scored every this fraction of an epoch (`--dev-every Fep`); a plain number, since
    /// `DevInterval` lives in Configuration, above the models.
    public var devEveryEpochFraction: Double?
    public var patience: Int?
}

extension ModelKind {
    /// The one registration: the type that implements each kind. A new model adds its case
    /// to `ModelKind` and one line here.
    var model: any RegisteredModel.Type {
        switch self {
        case .rnn, .rnn2: RNNModel<Float>.self
        case .rntn: RNTNModel<Float>.self
        case .treelstm: TreeLSTMModel<Float>.self
        }
    }

    /// The model's own tensors, between `L` and `U` in the layout.
    func tensors(_ config: ModelConfig) -> [TensorSpec] { model.tensors(config) }

    /// FLOPs of the model's own products in one forward + backward pass.
    func flops(_ config: ModelConfig, leaves: Int, internalNodes: Int) -> Double {
        model.flops(config, leaves: leaves, internalNodes: internalNodes)
    }

    /// The word width `--input-dim` defaults to, for models that read words through input
    /// weights; `nil` for models whose leaves are the word vectors themselves.
    public var defaultInputDim: Int? { model.defaultInputDim }

    /// The width `--dim` defaults to.
    public var defaultDim: Int { model.defaultDim }

    /// The settings that did best for this model on dev, beyond `TrainingConfig`'s defaults.
    public var recommended: RecommendedSettings { model.recommended }

    /// Fills the model's own tensors with fresh training values.
    func initialize(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        model.initialize(&p, layout: layout, generator: &g)
    }

    /// Fills the classifier `U` with fresh training values.
    func initializeClassifier(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64) {
        model.initializeClassifier(&p, layout: layout, generator: &g)
    }

    /// The engine of this model in precision `T` with `threads` workers.
    func engine<T: ModelScalar>(
        _: T.Type, layout: ParameterLayout, parameters: [T], threads: Int,
        capacity: Int, gradients: Bool
    ) -> ModelEngine<T> {
        model.engine(
            T.self, layout: layout, parameters: parameters, threads: threads, capacity: capacity,
            gradients: gradients)
    }
}

extension ParameterLayout {
    /// The layout of a model of shape `config`: `L`, the model's own tensors, then `U`, `bs`.
    public init(_ config: ModelConfig) {
        self.init(config, modelTensors: config.kind.tensors(config))
    }
}
