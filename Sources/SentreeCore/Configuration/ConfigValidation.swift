import Foundation

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
        case devEvery, lrPlateau, lrPlateauFactor, patience, wordLearningRate
        case leafDropout, stateDropout, classifierHidden

        /// The `sentree train` flag that sets it.
        public var flag: String {
            switch self {
            case .learningRate: "--lr"
            case .embeddingLRScale: "--embedding-lr-scale"
            case .wordLearningRate: "--word-lr"
            default: "--" + rawValue.replacing(/[A-Z]/) { "-" + $0.output.lowercased() }
            }
        }
    }

    /// Why `value` is no valid `setting`, or `nil` when it is valid. Integer settings take
    /// their value as a Double (exactly, in their range).
    public static func problem(_ setting: Setting, _ value: Double) -> ConfigProblem? {
        func must(_ requirement: String) -> ConfigProblem {
            ConfigProblem(setting: setting, requirement: requirement)
        }
        switch setting {
        case .dim, .inputDim, .middle, .epochs, .batchSize, .threads, .devEvery, .lrPlateau, .patience:
            let limit = Double(maximum(setting))
            return value >= 1 && value <= limit ? nil : must("must be from 1 to \(Int(limit))")
        case .learningRate, .wordLearningRate:
            return value > 0 && value.isFinite ? nil : must("must be a positive number")
        case .l2, .l2Classifier, .l2Words, .embeddingLRScale:
            return value >= 0 && value.isFinite ? nil : must("must be zero or positive")
        case .dropout, .leafDropout, .stateDropout:
            return Dropout.isValid(rate: value) ? nil : must("must be at least 0 and below 1 (got \(value))")
        case .classifierHidden:
            let limit = Double(maximum(setting))
            return value >= 0 && value <= limit && value == value.rounded()
                ? nil : must("must be from 0 (no hidden layer) to \(Int(limit))")
        case .wordDropout:
            return WordDropout.isValid(alpha: value)
                ? nil : must("must be zero or a positive number (got \(value))")
        case .adagradReset:
            return value >= 0 ? nil : must("must be 0 (never) or a number of epochs")
        case .adagradEpsilon:
            return value > 0 && value.isFinite ? nil : must("must be a positive number")
        case .lrPlateauFactor:
            return value > 0 && value < 1 ? nil : must("must be above 0 and below 1 (got \(value))")
        case .saveInterval:
            return value >= 0 && value.isFinite ? nil : must("must be zero or a positive number of seconds")
        }
    }

    /// The largest value of an integer setting. Above these, sizes overflow `Int`
    /// arithmetic or the `Int32` of a display long before they could mean anything: widths
    /// match what a checkpoint may hold, and memory (`memoryBudget`) bounds them further.
    public static func maximum(_ setting: Setting) -> Int {
        switch setting {
        case .epochs, .batchSize: 1_000_000
        case .threads: 256
        default: 65_535
        }
    }

    /// What training may allocate: parameters, gradients, optimizer state and every
    /// thread's workspace, estimated by `estimatedMemory(vocabularySize:)`.
    public static let memoryBudget = 8 << 30

    /// Bytes a run of this config allocates, roughly, for a vocabulary of `vocabularySize`
    /// words: parameters, their gradient, AdaGrad's sums, and per worker thread a dense
    /// gradient, a word-slot map and node buffers for a tree of 1,024 nodes. Only valid
    /// once every width is in its range (the products then fit in `Int`).
    public func estimatedMemory(vocabularySize: Int) -> (model: Int, threads: Int) {
        let layout = ParameterLayout(modelConfig(vocabularySize: max(1, vocabularySize)))
        let copies = optimizer == .adagrad || wordOptimizer == .adagrad ? 3 : 2
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let widest = max(dim, middle ?? dim, inputDim ?? dim, classifierHidden ?? 0)
        let perThread = (layout.count - layout.L.count) + vocabularySize + 1024 * 8 * widest
        return (4 * copies * layout.count, 4 * workers * perThread)
    }

    /// The settings that are set, with their values, in `Setting` order.
    var numericSettings: [(Setting, Double)] {
        let all: [(Setting, Double?)] = [
            (.dim, Double(dim)), (.inputDim, inputDim.map(Double.init)), (.middle, middle.map(Double.init)),
            (.epochs, Double(epochs)), (.batchSize, Double(batchSize)), (.learningRate, learningRate),
            (.l2, l2), (.l2Classifier, l2Classifier), (.l2Words, l2Words),
            (.threads, threads == 0 ? nil : Double(threads)),  // 0: all cores
            (.dropout, dropout), (.wordDropout, wordDropout), (.adagradReset, adagradReset.map(Double.init)),
            (.adagradEpsilon, adagradEpsilon), (.saveInterval, saveInterval),
            (.embeddingLRScale, embeddingLRScale), (.lrPlateau, lrPlateau.map(Double.init)),
            (.lrPlateauFactor, lrPlateauFactor), (.patience, patience.map(Double.init)),
            (.wordLearningRate, wordLearningRate),
            (.leafDropout, leafDropout), (.stateDropout, stateDropout),
            (.classifierHidden, classifierHidden.map(Double.init)),
        ]
        return all.compactMap { setting, value in value.map { (setting, $0) } }
    }

    /// Throws the first setting out of its range, then refuses a run whose memory estimate
    /// for `vocabularySize` words exceeds `memoryBudget` (before anything is allocated or
    /// created on disk). The trainer calls it on every config, whether from the command
    /// line, `run.json` or a checkpoint's metadata.
    public func validate(vocabularySize: Int = 0) throws(ConfigProblem) {
        for (setting, value) in numericSettings {
            if let problem = Self.problem(setting, value) { throw problem }
        }
        if let problem = recipeProblem() { throw problem }
        let (modelBytes, threadBytes) = estimatedMemory(vocabularySize: vocabularySize)
        guard modelBytes + threadBytes > Self.memoryBudget else { return }
        // Blame what dominates, so the message names the flag to lower.
        let setting: Setting = threadBytes > modelBytes && threads > 0 ? .threads : .dim
        let value = setting == .threads ? threads : dim
        let shape = setting == .dim ? " (\(model.rawValue))" : ""
        throw ConfigProblem(
            setting: setting,
            requirement: """
                \(value)\(shape) needs an estimated \(Self.gibibytes(modelBytes + threadBytes)) of memory for \
                parameters, gradients, optimizer state and \(threads > 0 ? threads : activeCores) threads' \
                workspaces, more than the limit of \(Self.gibibytes(Self.memoryBudget))
                """)
    }

    private var activeCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    static func gibibytes(_ bytes: Int) -> String {
        String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
    }
}
