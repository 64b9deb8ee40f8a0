import ArgumentParser
import Foundation
import SentreeCore

struct Gradcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the hand-written gradients against centered finite differences (Float64).",
        discussion: """
            Runs the production forward/backward code in Float64 on small random trees and compares \
            the derivative of the objective (cross-entropy + L2) for every parameter with a \
            fourth-order centered difference. Exits 0 only if every relative error is below 1e-6.
            """)

    @OptionGroup var shape: ModelShapeOptions<GradcheckDefaults>
    @Option(help: "Number of random trees.") var trees = 4
    @Option(help: "Random seed.") var seed: UInt64 = 17
    @Option(help: "Finite-difference step (default: 1e-4, 1e-3 for treelstm).") var epsilon: Double?
    @Option(help: "Dropout rate on the softmax input, with one fixed mask for every pass (default: 0).")
    var dropout: Double = 0
    @Option(
        help: ArgumentHelp(
            "Word dropout α, with one fixed choice of the leaves read as <unk> (default: 0).",
            valueName: "α"))
    var wordDropout: Double = 0
    @Option(
        help: ArgumentHelp(
            "The task whose softmax is checked: fine (5 classes) or binary (3 classes). (default: fine)",
            valueName: "task"))
    var task: SentimentTask = .fine
    @Option(help: "Dropout rate on the leaves' word vectors, one fixed mask for every pass (default: 0).")
    var leafDropout: Double = 0
    @Option(help: "Dropout rate on the children's states as parents read them, fixed masks (default: 0).")
    var stateDropout: Double = 0
    @Option(
        help: ArgumentHelp(
            "Width of the classifier's tanh hidden layer; 0 = none (default: 0).", valueName: "h"))
    var classifierHidden: Int = 0

    var model: ModelKind { shape.model ?? .rnn }
    var dim: Int { shape.dim ?? 7 }
    var middle: Int { shape.middle ?? 6 }
    var inputDim: Int? { shape.inputDim }

    func validate() throws {
        for (flag, setting, value) in [
            ("--dropout", TrainingConfig.Setting.dropout, dropout),
            ("--leaf-dropout", .leafDropout, leafDropout),
            ("--state-dropout", .stateDropout, stateDropout),
            ("--classifier-hidden", .classifierHidden, Double(classifierHidden)),
        ] {
            if let problem = TrainingConfig.problem(setting, value) {
                throw ValidationError(flag + " " + problem.requirement)
            }
        }
        if !WordDropout.isValid(alpha: wordDropout) {
            throw ValidationError("--word-dropout must be zero or a positive number (got \(wordDropout))")
        }
        try validateGradientCheck(count: ("--trees", trees), epsilon: epsilon)
    }

    func run() throws {
        let x = model.defaultInputDim == nil ? nil : inputDim ?? max(1, dim - 2)
        let report = GradientCheck.run(
            kind: model, dim: dim, middle: middle, inputDim: x, trees: trees,
            epsilon: epsilon, dropout: dropout, wordDropout: wordDropout, leafDropout: leafDropout,
            stateDropout: stateDropout, classifierHidden: classifierHidden, classes: task.classes,
            seed: seed)
        let widths =
            "d=\(dim)" + (model == .rnn2 ? ", m=\(middle)" : "") + (x.map { ", x=\($0)" } ?? "")
            + (dropout > 0 ? ", dropout \(dropout) (fixed mask)" : "")
            + (wordDropout > 0 ? ", word dropout \(wordDropout) (fixed leaves)" : "")
            + (task == .fine ? "" : ", \(task.classes) classes (\(task.description))")
            + (leafDropout > 0 ? ", leaf dropout \(leafDropout) (fixed mask)" : "")
            + (stateDropout > 0 ? ", state dropout \(stateDropout) (fixed mask)" : "")
            + (classifierHidden > 0 ? ", classifier hidden \(classifierHidden)" : "")
        print("gradient check: model \(model.rawValue), \(widths), \(trees) random trees, Float64")
        print("parameter   count   max relative error")
        for t in report.tensors {
            let name = t.name.padding(toLength: 10, withPad: " ", startingAt: 0)
            let count = String(t.count).leftPadded(to: 6)
            print("\(name)  \(count)   \(String(format: "%.3e", t.maxRelativeError))")
        }
        print(
            "overall             \(String(format: "%.3e", report.overall))  (threshold \(String(format: "%.0e", report.threshold)))"
        )
        print(report.passed ? "PASS" : "FAIL")
        if !report.passed { throw ExitCode(1) }
    }
}

/// Small widths keep the check fast; the input width differs from d so a mix-up shows.
enum GradcheckDefaults: ShapeDefaults {
    static let dimHelp = "Width d (default: 7; small keeps it fast, use >16 to cross SIMD lanes)."
    static let middleHelp = "Width m of rnn2's second layer (default: 6)."
    static let inputDimHelp =
        "Word-vector width, for models with input weights (default: d − 2, so a mix-up shows)."
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// The settings both gradient checks share. No trees (or sentences) and a step of 0 checked
/// nothing yet printed PASS; a negative count trapped; a huge one ran for hours.
func validateGradientCheck(count: (flag: String, value: Int), epsilon: Double?) throws {
    if !(1 ... 1000).contains(count.value) {
        throw ValidationError("\(count.flag) must be from 1 to 1000 (got \(count.value))")
    }
    if let epsilon, !(epsilon > 0 && epsilon < 1) {
        throw ValidationError("--epsilon must be a positive number below 1 (got \(epsilon))")
    }
}
