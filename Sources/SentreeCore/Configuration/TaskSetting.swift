extension TrainingConfig {
    /// The task the run learns: `task`, or `.fine` for runs that do not set it.
    public var sentimentTask: SentimentTask { task ?? .fine }

    /// `task binary (SST-2)` for a binary-task run, else nothing: headers name the task only
    /// where it is not the 5-class default every older run has.
    public var taskDescription: String {
        sentimentTask == .fine ? "" : sentimentTask.description
    }
}
