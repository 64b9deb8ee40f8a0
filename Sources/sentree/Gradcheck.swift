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

    @Option(help: "Model to check: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).") var model: ModelKind = .rnn
    @Option(help: "Width d (small keeps it fast; use >16 to cross SIMD lanes).") var dim = 7
    @Option(help: "Width m of rnn2's second layer.") var middle = 6
    @Option(help: "Word-vector width, for models with input weights (default: d − 2, so a mix-up shows).")
    var inputDim: Int?
    @Option(help: "Number of random trees.") var trees = 4
    @Option(help: "Random seed.") var seed: UInt64 = 17
    @Option(help: "Finite-difference step (default: 1e-4, 1e-3 for treelstm).") var epsilon: Double?
    @Option(help: "Dropout rate on the softmax input, with one fixed mask for every pass (default: 0).")
    var dropout: Double = 0
    @Option(help: ArgumentHelp("Word dropout α, with one fixed choice of the leaves read as <unk> (default: 0).",
                               valueName: "α"))
    var wordDropout: Double = 0

    func validate() throws {
        if !Dropout.isValid(rate: dropout) {
            throw ValidationError("--" + Dropout.invalidRateMessage(dropout))
        }
        if !WordDropout.isValid(alpha: wordDropout) {
            throw ValidationError("--word-dropout must be zero or a positive number (got \(wordDropout))")
        }
    }

    func run() throws {
        let x = model.defaultInputDim == nil ? nil : inputDim ?? max(1, dim - 2)
        let report = GradientCheck.run(kind: model, dim: dim, middle: middle, inputDim: x, trees: trees,
                                       epsilon: epsilon, dropout: dropout, wordDropout: wordDropout, seed: seed)
        let widths = "d=\(dim)" + (model == .rnn2 ? ", m=\(middle)" : "") + (x.map { ", x=\($0)" } ?? "")
            + (dropout > 0 ? ", dropout \(dropout) (fixed mask)" : "")
            + (wordDropout > 0 ? ", word dropout \(wordDropout) (fixed leaves)" : "")
        print("gradient check: model \(model.rawValue), \(widths), \(trees) random trees, Float64")
        print("parameter   count   max relative error")
        for t in report.tensors {
            let name = t.name.padding(toLength: 10, withPad: " ", startingAt: 0)
            let count = String(t.count).leftPadded(to: 6)
            print("\(name)  \(count)   \(String(format: "%.3e", t.maxRelativeError))")
        }
        print("overall             \(String(format: "%.3e", report.overall))  (threshold \(String(format: "%.0e", report.threshold)))")
        print(report.passed ? "PASS" : "FAIL")
        if !report.passed { throw ExitCode(1) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
