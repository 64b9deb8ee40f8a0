/// A setting of a run outside its range: which setting, and what it must be.
///
/// The one set of rules for every source of settings: the command line names the setting
/// by its flag (`--lr must be a positive number`), a run's `run.json` or checkpoint by its
/// key (`learningRate must be a positive number`).
public struct ConfigProblem: Error, CustomStringConvertible, Equatable {
    public let setting: TrainingConfig.Setting
    /// What the value must be, as the end of a sentence that starts with the setting's name.
    public let requirement: String

    public var description: String { "\(setting.rawValue) \(requirement)" }
    /// The same problem as the command line states it.
    public var flagDescription: String { "\(setting.flag) \(requirement)" }
}

extension TrainingConfig {
    /// The numeric settings a run is checked for, by their key in `run.json`.
    public enum Setting: String, Sendable, CaseIterable {
        case dim, inputDim, middle, epochs, batchSize, learningRate, l2, l2Classifier, l2Words, threads
        case dropout, wordDropout, adagradReset, adagradEpsilon, saveInterval, embeddingLRScale

        /// The `sentree train` flag that sets it.
        public var flag: String {
            switch self {
            case .learningRate: "--lr"
            case .embeddingLRScale: "--embedding-lr-scale"
            default: "--" + rawValue.replacing(/[A-Z]/) { "-" + $0.output.lowercased() }
            }
        }
    }

    /// Why `value` is no valid `setting`, or `nil` when it is valid. Integer settings take
    /// their value as a Double (exactly, in their range).
    public static func problem(_ setting: Setting, _ value: Double) -> ConfigProblem? {
        func must(_ requirement: String) -> ConfigProblem { ConfigProblem(setting: setting, requirement: requirement) }
        switch setting {
        case .dim, .inputDim, .middle, .epochs, .batchSize, .threads:
            return value >= 1 ? nil : must("must be at least 1")
        case .learningRate:
            return value > 0 && value.isFinite ? nil : must("must be a positive number")
        case .l2, .l2Classifier, .l2Words, .embeddingLRScale:
            return value >= 0 && value.isFinite ? nil : must("must be zero or positive")
        case .dropout:
            return Dropout.isValid(rate: value) ? nil : must("must be at least 0 and below 1 (got \(value))")
        case .wordDropout:
            return WordDropout.isValid(alpha: value) ? nil : must("must be zero or a positive number (got \(value))")
        case .adagradReset:
            return value >= 0 ? nil : must("must be 0 (never) or a number of epochs")
        case .adagradEpsilon:
            return value > 0 && value.isFinite ? nil : must("must be a positive number")
        case .saveInterval:
            return value >= 0 && value.isFinite ? nil : must("must be zero or a positive number of seconds")
        }
    }

    /// The settings that are set, with their values, in `Setting` order.
    var numericSettings: [(Setting, Double)] {
        let all: [(Setting, Double?)] = [
            (.dim, Double(dim)), (.inputDim, inputDim.map(Double.init)), (.middle, middle.map(Double.init)),
            (.epochs, Double(epochs)), (.batchSize, Double(batchSize)), (.learningRate, learningRate),
            (.l2, l2), (.l2Classifier, l2Classifier), (.l2Words, l2Words),
            (.threads, threads == 0 ? nil : Double(threads)),  // 0: all cores
            (.dropout, dropout), (.wordDropout, wordDropout), (.adagradReset, adagradReset.map(Double.init)),
            (.adagradEpsilon, adagradEpsilon), (.saveInterval, saveInterval), (.embeddingLRScale, embeddingLRScale),
        ]
        return all.compactMap { setting, value in value.map { (setting, $0) } }
    }

    /// Throws the first setting out of its range. The trainer calls it on every config,
    /// whether from the command line, `run.json` or a checkpoint's metadata.
    public func validate() throws(ConfigProblem) {
        for (setting, value) in numericSettings {
            if let problem = Self.problem(setting, value) { throw problem }
        }
    }
}
