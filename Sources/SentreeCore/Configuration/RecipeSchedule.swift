import Foundation

/// How often dev is scored inside an epoch (`--dev-every`): every N steps of the run, or
/// every fraction of an epoch. Written as on the command line, in `run.json` and checkpoints
/// too: `200` (steps) or `0.25ep` (a quarter epoch).
///
/// Every epoch's end is scored as well (its epoch record); the evaluations between are extra.
public enum DevInterval: Sendable, Equatable, Codable, CustomStringConvertible {
    /// After every global step that is a multiple of N.
    case steps(Int)
    /// After the first step at or past each multiple of this fraction of the epoch's steps.
    case epochFraction(Double)

    /// Parses `200` or `0.25ep`; `nil` for anything else (see `problem` for the ranges).
    public init?(parsing text: String) {
        if text.hasSuffix("ep"), let f = Double(text.dropLast(2)), !text.hasPrefix("+") {
            self = .epochFraction(f)
        } else if let n = Int(text), !text.hasPrefix("+") {
            self = .steps(n)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .steps(let n): "\(n)"
        case .epochFraction(let f): String(format: "%gep", f)
        }
    }

    /// What the value must be, or `nil` when it is valid.
    public var problem: String? {
        switch self {
        case .steps(let n):
            return (1 ... TrainingConfig.maximum(.batchSize)).contains(n)
                ? nil : "must be a number of steps from 1 to \(TrainingConfig.maximum(.batchSize)) (got \(n))"
        case .epochFraction(let f):
            return f > 0 && f <= 1
                ? nil : "must be a fraction of an epoch above 0 and at most 1ep (got \(self))"
        }
    }

    /// Whether dev is scored after the `step`-th (1-based) of an epoch's `steps` steps, the
    /// run's `globalStep`-th. Never after the last step: the epoch's end scores dev anyway.
    public func evaluates(afterStep step: Int, of steps: Int, globalStep: Int) -> Bool {
        guard step < steps else { return false }
        switch self {
        case .steps(let n):
            return globalStep % n == 0
        case .epochFraction(let f):
            let every = f * Double(steps)
            return (Double(step) / every).rounded(.down) > (Double(step - 1) / every).rounded(.down)
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = DevInterval(parsing: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "devEvery must be a number of steps or a fraction like 0.25ep"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension TrainingConfig {
    /// The plateau's multiplier where the run does not choose one: halve the rate.
    public static let defaultPlateauFactor = 0.5

    /// Whether the run keeps count of evaluations without a gain (plateau or patience).
    public var countsEvaluationsWithoutGain: Bool { lrPlateau != nil || patience != nil }

    /// The word vectors' own optimizer and rate, dev schedule, plateau and patience, as
    /// headers show them (nothing for those not set).
    var recipeDescriptions: [String] {
        var parts: [String] = []
        if let wordOptimizer {
            parts.append("words \(wordOptimizer.rawValue) lr \(wordLearningRate ?? learningRate)")
        }
        if let devEvery { parts.append("dev every \(devEvery)") }
        if let lrPlateau {
            parts.append("plateau \(lrPlateau) ×\(lrPlateauFactor ?? Self.defaultPlateauFactor)")
        }
        if let patience { parts.append("patience \(patience)") }
        return parts
    }

    /// The combinations of the recipe's settings that contradict each other, and `devEvery`'s
    /// range (the numeric settings are checked by `problem(_:_:)`).
    func recipeProblem() -> ConfigProblem? {
        if let problem = devEvery?.problem { return ConfigProblem(setting: .devEvery, requirement: problem) }
        if wordOptimizer != nil, embeddingLRScale != nil {
            return ConfigProblem(
                setting: .embeddingLRScale,
                requirement:
                    "cannot be combined with a word optimizer (give the words their own rate instead)")
        }
        if wordLearningRate != nil, wordOptimizer == nil {
            return ConfigProblem(setting: .wordLearningRate, requirement: "needs a word optimizer")
        }
        if lrPlateauFactor != nil, lrPlateau == nil {
            return ConfigProblem(setting: .lrPlateauFactor, requirement: "needs a plateau length")
        }
        return nil
    }
}
