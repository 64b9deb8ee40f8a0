import Foundation
import SentreeCore

/// The model `predict` runs: a checkpoint whose vocabulary grows, as inputs arrive, by the
/// words training never saw but a vectors file has, so they are read with their pretrained
/// vector instead of `<unk>` (as `eval` does for a whole treebank at once).
final class PredictionModel {
    /// The vectors file for unseen words; `nil`: they stay `<unk>`.
    let vectorsFile: String?
    /// Words of the vocabulary as trained; ids from here on came from `vectorsFile`.
    let trainedWords: Int
    private var checkpoint: Checkpoint
    private(set) var vocabulary: Vocabulary
    private(set) var snapshot: ModelSnapshot
    /// Words added from the file so far, and input tokens read with one of them.
    private(set) var wordsAdded = 0
    private(set) var tokensAdded = 0
    /// Threads that may predict at once, each on an engine of its own.
    let threads: Int
    /// What the checkpoint learned, which decides how its predictions are named.
    var task: SentimentTask { checkpoint.config.sentimentTask }

    init(_ checkpoint: Checkpoint, vectorsFile: String?, threads: Int = 1) {
        self.vectorsFile = vectorsFile
        self.checkpoint = checkpoint
        self.threads = threads
        trainedWords = checkpoint.vocabulary.count
        vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
        snapshot = Self.snapshot(of: checkpoint, threads: threads)
    }

    private static func snapshot(of c: Checkpoint, threads: Int) -> ModelSnapshot {
        ModelSnapshot(
            layout: ParameterLayout(c.model), parameters: c.parameters,
            epoch: c.progress.epochsCompleted, step: c.progress.globalStep, threads: threads)
    }

    /// What worker threads read of the model as it is now: its snapshot and vocabulary.
    var view: PredictionView {
        PredictionView(snapshot: snapshot, vocabulary: vocabulary, task: task, trainedWords: trainedWords)
    }

    /// Adds the unseen words among `tokens` that the file has, in one pass over the file.
    func cover(tokens: some Sequence<String>) throws {
        guard let vectorsFile else { return }
        let extended = try PretrainedVectors.extend(checkpoint, forTokens: tokens, file: vectorsFile)
        guard extended.words > 0 else { return }
        checkpoint = extended.checkpoint
        wordsAdded += extended.words
        vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
        snapshot = Self.snapshot(of: checkpoint, threads: threads)
    }

    /// Counts `count` more input tokens read with a pretrained vector (see `PredictionView`).
    func countPretrained(_ count: Int) { tokensAdded += count }

    /// The line for standard error: how many words and tokens the file gave a vector.
    var summary: String? {
        // Nothing was looked up or found: a count of zeros would only be noise.
        guard let vectorsFile, wordsAdded > 0 else { return nil }
        let words = "\(wordsAdded) word\(wordsAdded == 1 ? "" : "s")"
        return TerminalText.sanitized(
            "vectors \(vectorsFile): \(words) "
                + "unseen in training (\(tokensAdded) token\(tokensAdded == 1 ? "" : "s")) read with a "
                + "pretrained vector instead of <unk>")
    }
}

/// A `PredictionModel` as it stands between two calls of `cover`: what the threads that
/// answer inputs read, all of it immutable.
struct PredictionView: Sendable {
    let snapshot: ModelSnapshot
    let vocabulary: Vocabulary
    let task: SentimentTask
    let trainedWords: Int

    /// Leaves among `words` (ids of one input's nodes) read with a pretrained vector.
    func pretrained(_ words: [Int32]) -> Int { words.reduce(0) { $0 + ($1 >= trainedWords ? 1 : 0) } }
}
