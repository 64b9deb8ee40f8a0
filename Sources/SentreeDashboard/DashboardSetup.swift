import SentreeCore

/// What the dashboard needs to know about a run before it starts.
public struct DashboardSetup: Sendable {
    public var config: TrainingConfig
    public var dev: Treebank
    /// Per-node word ids of `dev` (-1 for internal nodes).
    public var devWordIDs: [Int32]
    public var runDirectory: String
    public var stepsPerEpoch: Int
    /// Epochs already done when the run starts (non-zero when resuming).
    public var startEpoch: Int
    /// The pretrained vectors the run started from, and their coverage.
    public var embeddings: EmbeddingCoverage?

    public init(config: TrainingConfig, dev: Treebank, devWordIDs: [Int32], runDirectory: String,
                stepsPerEpoch: Int, startEpoch: Int, embeddings: EmbeddingCoverage? = nil) {
        self.embeddings = embeddings
        self.config = config
        self.dev = dev
        self.devWordIDs = devWordIDs
        self.runDirectory = runDirectory
        self.stepsPerEpoch = stepsPerEpoch
        self.startEpoch = startEpoch
    }
}
