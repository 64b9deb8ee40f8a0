extension TrainingConfig {
    /// The task the run learns: `task`, or `.fine` for runs that do not set it.
    public var sentimentTask: SentimentTask { task ?? .fine }

    /// Whether training reads the trees whose root is neutral: always for `fine`; for `binary`
    /// when `neutralRoots` is `.keep` (runs older than that field dropped them).
    public var trainsOnNeutralRoots: Bool { sentimentTask == .fine || neutralRoots == .keep }

    /// The training trees as this run reads them (`SentimentTask.prepare`).
    public func trainingTrees(_ treebank: Treebank) -> Treebank {
        sentimentTask.prepare(treebank, keepNeutralRoots: trainsOnNeutralRoots)
    }

    /// `task binary (SST-2)` for a binary-task run, else nothing: headers name the task only
    /// where it is not the 5-class default every older run has.
    public var taskDescription: String {
        sentimentTask == .fine ? "" : sentimentTask.description
    }

    /// `neutral roots in train` for a binary run that trains on them (its training set is not
    /// Tai et al.'s), else nothing; headers list it among the settings.
    public var neutralRootsDescription: String {
        sentimentTask == .binary && neutralRoots == .keep ? "neutral roots in train" : ""
    }
}
