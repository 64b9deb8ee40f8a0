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
    /// The run's vocabulary, for encoding probes (nil: every probe word reads as `<unk>`).
    public var vocabulary: Vocabulary?
    /// Probes to show from the start (from `RUN/probes.txt` and `--probe`).
    public var probes: [Probe]
    /// How a probe typed as a plain sentence becomes a tree: the parser if one was found.
    public var sentences: any SentenceTrees
    /// Without a cached parser: the training the dashboard starts when a plain sentence first
    /// needs a tree; its parser then replaces `sentences` (docs/dashboard.md).
    public var parserJob: ParserTrainingJob? = nil
    /// Whether clicks and the wheel are read (`--no-mouse` turns them off).
    public var mouse: Bool

    public init(
        config: TrainingConfig, dev: Treebank, devWordIDs: [Int32], runDirectory: String,
        stepsPerEpoch: Int, startEpoch: Int, embeddings: EmbeddingCoverage? = nil,
        vocabulary: Vocabulary? = nil, probes: [Probe] = [], mouse: Bool = true,
        sentences: any SentenceTrees = RightBranchingTrees()
    ) {
        self.sentences = sentences
        self.embeddings = embeddings
        self.vocabulary = vocabulary
        self.probes = probes
        self.mouse = mouse
        self.config = config
        // Gold labels on the scale the dashboard draws (a binary run's 0…2 as SST's 1…3).
        self.dev = config.sentimentTask.shown(dev)
        self.devWordIDs = devWordIDs
        self.runDirectory = runDirectory
        self.stepsPerEpoch = stepsPerEpoch
        self.startEpoch = startEpoch
    }
}
