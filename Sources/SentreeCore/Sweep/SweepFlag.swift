import Foundation

/// A `sentree train` flag that a sweep spec may set, and how its values are read.
///
/// Values are kept as the text `train` is given, in one canonical spelling (`0.01`, not
/// `1e-2`), so two trials with the same settings have the same text and group together.
public struct SweepFlag: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case integer, number, model, optimizer, toggle, path, devInterval
        /// One of these words.
        case choice([String])
    }

    /// The flag without its dashes, as written in a spec (`lr`, `batch-size`).
    public let name: String
    public let kind: Kind
    /// The range rule of `TrainingConfig.problem`, for numeric flags.
    public let setting: TrainingConfig.Setting?

    /// Every flag a spec may set, in the order trial arguments and tables list them.
    public static let all: [SweepFlag] = [
        SweepFlag(name: "model", kind: .model, setting: nil),
        SweepFlag(name: "dim", kind: .integer, setting: .dim),
        SweepFlag(name: "input-dim", kind: .integer, setting: .inputDim),
        SweepFlag(name: "middle", kind: .integer, setting: .middle),
        SweepFlag(name: "epochs", kind: .integer, setting: .epochs),
        SweepFlag(name: "batch-size", kind: .integer, setting: .batchSize),
        SweepFlag(name: "lr", kind: .number, setting: .learningRate),
        SweepFlag(name: "optimizer", kind: .optimizer, setting: nil),
        SweepFlag(name: "l2", kind: .number, setting: .l2),
        SweepFlag(name: "l2-classifier", kind: .number, setting: .l2Classifier),
        SweepFlag(name: "l2-words", kind: .number, setting: .l2Words),
        SweepFlag(name: "dropout", kind: .number, setting: .dropout),
        SweepFlag(name: "word-dropout", kind: .number, setting: .wordDropout),
        SweepFlag(name: "leaf-dropout", kind: .number, setting: .leafDropout),
        SweepFlag(name: "state-dropout", kind: .number, setting: .stateDropout),
        SweepFlag(name: "classifier-hidden", kind: .integer, setting: .classifierHidden),
        SweepFlag(name: "adagrad-reset", kind: .integer, setting: .adagradReset),
        SweepFlag(name: "adagrad-epsilon", kind: .number, setting: .adagradEpsilon),
        SweepFlag(name: "embeddings", kind: .path, setting: nil),
        SweepFlag(name: "freeze-embeddings", kind: .toggle, setting: nil),
        SweepFlag(name: "embedding-lr-scale", kind: .number, setting: .embeddingLRScale),
        SweepFlag(name: "save-interval", kind: .number, setting: .saveInterval),
        SweepFlag(name: "dev-every", kind: .devInterval, setting: nil),
        SweepFlag(name: "lr-plateau", kind: .integer, setting: .lrPlateau),
        SweepFlag(name: "lr-plateau-factor", kind: .number, setting: .lrPlateauFactor),
        SweepFlag(name: "patience", kind: .integer, setting: .patience),
        SweepFlag(name: "word-optimizer", kind: .optimizer, setting: nil),
        SweepFlag(name: "word-lr", kind: .number, setting: .wordLearningRate),
        SweepFlag(name: "task", kind: .choice(SentimentTask.allCases.map(\.rawValue)), setting: nil),
        SweepFlag(name: "neutral-roots", kind: .choice(NeutralRoots.allCases.map(\.rawValue)), setting: nil),
        SweepFlag(name: "keep-case", kind: .toggle, setting: nil),
        SweepFlag(name: "data", kind: .path, setting: nil),
    ]

    /// Other spellings `train` accepts.
    static let aliases = ["learning-rate": "lr"]

    /// `train` flags a spec may not set, and why: the sweep owns them.
    static let reserved: [String: String] = [
        "seed": "seeds are listed in the spec's top-level `seeds`",
        "threads": "every trial trains with --threads 1; choose the parallelism with `sweep --jobs N`",
        "out": "the sweep names each trial's run directory",
        "resume": "resume the whole sweep with `sentree sweep --resume DIR`",
        "headless": "trials always train headless",
        "probe": "probes belong to the dashboard, which trials do not open",
        "compare": "--compare belongs to the dashboard, which trials do not open",
        "no-mouse": "trials do not open the dashboard",
    ]

    /// The flag a spec key names, or why the key names none.
    static func named(_ key: String) -> Result<SweepFlag, LookupProblem> {
        let name = aliases[key] ?? key
        if let flag = all.first(where: { $0.name == name }) { return .success(flag) }
        if let why = reserved[name] { return .failure(.reserved(why)) }
        let known = all.map(\.name) + Array(aliases.keys)
        return .failure(.unknown(suggestion: closest(to: key, in: known)))
    }

    enum LookupProblem: Error {
        case unknown(suggestion: String?)
        case reserved(String)
    }

    /// The value's canonical text, or what is wrong with it. `directory` anchors relative paths.
    func canonical(_ text: String, relativeTo directory: String) -> Result<String, ValueProblem> {
        switch kind {
        case .integer:
            guard let v = Int(text) else {
                return .failure(ValueProblem("must be a whole number (got '\(text)')"))
            }
            return checked(Double(v), shown: String(v)).map { _ in String(v) }
        case .number:
            guard let v = Double(text), v.isFinite else {
                return .failure(ValueProblem("must be a number (got '\(text)')"))
            }
            return checked(v, shown: String(v)).map { _ in String(v) }
        case .model:
            guard ModelKind(rawValue: text) != nil else {
                let names = ModelKind.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(ValueProblem("must be one of \(names) (got '\(text)')"))
            }
            return .success(text)
        case .optimizer:
            guard OptimizerKind(rawValue: text) != nil else {
                return .failure(ValueProblem("must be adagrad or sgd (got '\(text)')"))
            }
            return .success(text)
        case .choice(let words):
            guard words.contains(text) else {
                return .failure(
                    ValueProblem("must be one of \(words.joined(separator: ", ")) (got '\(text)')"))
            }
            return .success(text)
        case .devInterval:
            guard let interval = DevInterval(parsing: text) else {
                return .failure(
                    ValueProblem("must be a number of steps or a fraction like 0.25ep (got '\(text)')"))
            }
            if let problem = interval.problem { return .failure(ValueProblem(problem)) }
            return .success(interval.description)
        case .toggle:
            switch text {
            case "true", "yes", "on": return .success("true")
            case "false", "no", "off": return .success("false")
            default: return .failure(ValueProblem("must be true or false (got '\(text)')"))
            }
        case .path:
            guard !text.isEmpty else { return .failure(ValueProblem("must be a path")) }
            // Trials may be resumed from anywhere: paths are fixed when the spec is read.
            let absolute = text.hasPrefix("/") ? text : directory + "/" + text
            return .success(URL(fileURLWithPath: absolute).standardizedFileURL.path)
        }
    }

    /// `shown` is the value as the message gives it: an integer's own digits, since
    /// Int.max as a Double is 2^63, which no Int holds (it trapped, found by fuzzing).
    private func checked(_ value: Double, shown: String) -> Result<Double, ValueProblem> {
        if let setting, let problem = TrainingConfig.problem(setting, value) {
            let got = problem.requirement.contains("(got") ? "" : " (got \(shown))"
            return .failure(ValueProblem(problem.requirement + got))
        }
        return .success(value)
    }

    struct ValueProblem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// The command-line words for this flag set to `value` (a toggle set to false gives none).
    func arguments(_ value: String) -> [String] {
        if kind == .toggle { return value == "true" ? ["--" + name] : [] }
        return ["--" + name, value]
    }
}

/// The candidate within edit distance 2 of `word`, for "did you mean" hints on typos.
func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }
    return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previous = Array(0 ... b.count)
    for i in 1 ... a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1 ... b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        previous = current
    }
    return previous[b.count]
}
