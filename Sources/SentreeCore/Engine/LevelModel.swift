/// The math of one tree model, as the engine runs it: a forward and a backward per level.
///
/// The engine (`LevelEngine`) owns everything the models share: the level schedule, the
/// word vectors gathered for the leaves, the softmax layer `U`, `bs` on top of every node,
/// the loss, and the scatter of leaf errors into the rows of `L`. A model owns its
/// composition: what a node's state is, how a level of parents is computed from their
/// children, and the way back. One instance per worker thread holds that worker's buffers
/// and gradient accumulators; `Weights` is built once per parameter update and shared.
///
/// To add a model: one file with a type conforming to `RegisteredModel`, which refines this
/// protocol, its derivation in docs/models/, and one registration in the catalog
/// (docs/models/README.md, "Adding a model").
///
/// Row conventions (R = schedule rows, op = padded output width, xp = padded input width):
/// rows `s.level(0)` are the leaves, and leaf k (0-based) is row k.
protocol LevelModel: AnyObject, SendableMetatype {
    associatedtype T: ModelScalar
    /// Packed copies of the model's tensors (padded, transposed where a product wants it).
    associatedtype Weights: Sendable

    /// The model's own tensors, in layout order (between `L` and `U`).
    static func tensors(_ config: ModelConfig) -> [TensorSpec]
    /// Fills the model's own tensors of `p` (layout order) with fresh training values.
    static func initialize(_ p: inout [Float], layout: ParameterLayout, generator g: inout SplitMix64)
    /// FLOPs of forward + backward (multiply-add = 2) of the model's own products, for
    /// `sentree bench`; the softmax is counted by the engine.
    static func flops(_ config: ModelConfig, leaves: Int, internalNodes: Int) -> Double
    /// The `--dim` a user gets without asking.
    static var defaultDim: Int { get }
    /// The `--input-dim` a user gets without asking; `nil`: word vectors are `dim` wide.
    static var defaultInputDim: Int? { get }
    /// Packs the model's tensors of the canonical parameters `p`.
    static func pack(layout: ParameterLayout, parameters p: UnsafePointer<T>) -> Weights

    /// State dropout's masks, set by the engine for each training pass (`nil`: none), one
    /// row per node [R × padded(d)]: a parent reads child c's state as h_c ⊙ mask[c], and
    /// sends the error m ⊙ e back down (e being the error at what it read), so every model
    /// multiplies its gathered children by it in `forwardLevel` and the errors it sends them
    /// in `backwardLevel`. What "state" means is the model's: its docs/models page says.
    var stateMask: UnsafePointer<T>? { get set }

    init(layout: ParameterLayout, gradients: Bool)
    /// Grows the per-row buffers to hold `rows` rows.
    func reserve(rows: Int)

    /// Leaves: `x` [leaves × xp] holds each leaf's word vector.
    func forwardLeaves(_ s: LevelSchedule, x: UnsafePointer<T>, w: Weights)
    /// All parents of height `h`, from their children's states.
    func forwardLevel(_ h: Int, _ s: LevelSchedule, w: Weights)
    /// After the levels: the vector the softmax reads at every row, [R × op].
    func forwardOutputs(_ s: LevelSchedule, w: Weights) -> UnsafeMutablePointer<T>

    /// Takes in the error at every row's output vector, `e` [R × op] (the model may
    /// overwrite it), and accumulates the gradient of whatever produced the outputs.
    func backwardOutputs(_ s: LevelSchedule, error e: UnsafeMutablePointer<T>, w: Weights)
    /// The parents of height `h`: their gradients, and the errors they send their children.
    func backwardLevel(_ h: Int, _ s: LevelSchedule, w: Weights)
    /// Leaves: writes the error at each leaf's word vector into `dx` [leaves × xp].
    func backwardLeaves(_ s: LevelSchedule, x: UnsafePointer<T>, dx: UnsafeMutablePointer<T>, w: Weights)

    func clearGradients()
    /// Writes the model's tensor gradients into `grad`, indexed like the full parameter
    /// vector (only the model's own tensors are written).
    func exportGradient(into grad: UnsafeMutablePointer<T>)
}

extension LevelModel {
    /// Most models read word vectors as node vectors, so they are as wide.
    static var defaultInputDim: Int? { nil }
}
