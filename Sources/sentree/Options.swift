import ArgumentParser
import Foundation
import SentreeCore

/// Where a command's model widths come from when the user gives none.
protocol ShapeDefaults {
    static var dimHelp: String { get }
    static var middleHelp: String { get }
    static var inputDimHelp: String { get }
}

/// The model's own widths (`train`, `bench`).
enum ModelDefaults: ShapeDefaults {
    static let dimHelp = "Width d of node vectors (default: the model's, 30 for rnn and rnn2)."
    static let middleHelp = "Width m of rnn2's second layer (default: d)."
    static let inputDimHelp = "Width of word vectors, for models with input weights (default: the model's)."
}

/// The model and its widths: one definition for every command that builds a model.
struct ModelShapeOptions<Defaults: ShapeDefaults>: ParsableArguments {
    @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")). (default: rnn)")
    var model: ModelKind?
    @Option(help: ArgumentHelp(Defaults.dimHelp)) var dim: Int?
    @Option(help: ArgumentHelp(Defaults.inputDimHelp)) var inputDim: Int?
    @Option(help: ArgumentHelp(Defaults.middleHelp)) var middle: Int?

    /// The given widths, for the rules every run's settings meet.
    var givenSettings: [(TrainingConfig.Setting, Double)] {
        [(.dim, dim), (.inputDim, inputDim), (.middle, middle)].compactMap { s, v in v.map { (s, Double($0)) }
        }
    }

    func validate() throws {
        for (setting, value) in givenSettings {
            if let problem = TrainingConfig.problem(setting, value) {
                throw ValidationError(problem.flagDescription)
            }
        }
    }
}

/// The data directory of the training commands.
struct DataOptions: ParsableArguments {
    @Option(help: "Directory with train.txt and dev.txt (default: data/sst, fetched if missing).")
    var data: String?
}

/// Worker threads: how a command spreads its work, never what it computes.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores).") var threads: Int?

    func validate() throws {
        if let threads, let problem = TrainingConfig.problem(.threads, Double(threads)) {
            throw ValidationError(problem.flagDescription)
        }
    }
}

/// How `eval` and `predict` read words that training never saw.
///
/// By default they read `<unk>`, as the dev evaluation during training does, so a score from
/// `eval` is the score in `metrics.jsonl`. Pretrained vectors for them change the model being
/// scored, so they are only used when asked for.
struct UnseenWordOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Read words training never saw with their vector from the run's vectors file "
                + "(train --embeddings) instead of <unk>.",
            discussion: "Scores then differ from the training-time dev evaluation."))
    var expandVocabulary = false
    @Option(
        help: ArgumentHelp(
            "Like --expand-vocabulary, with this vectors file (GloVe or word2vec text).",
            valueName: "file"))
    var unseenVectors: String?

    /// The vectors file for words `checkpoint` never saw in training; `nil`: they read `<unk>`.
    func vectorsFile(for checkpoint: Checkpoint) throws -> String? {
        if let unseenVectors { return unseenVectors }
        guard expandVocabulary else { return nil }
        guard let trainedWith = checkpoint.config.embeddings else {
            throw CLIError(
                "--expand-vocabulary: the run was trained without a vectors file; "
                    + "give one with --unseen-vectors FILE")
        }
        guard FileManager.default.fileExists(atPath: trainedWith) else {
            throw CLIError(
                "--expand-vocabulary: the run's vectors file \(trainedWith) is gone; "
                    + "give one with --unseen-vectors FILE")
        }
        return trainedWith
    }
}
