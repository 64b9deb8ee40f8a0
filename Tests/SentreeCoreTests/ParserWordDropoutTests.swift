import Foundation
import Testing
@testable import SentreeCore

/// Word dropout in parser training: the rate per word, and that it touches nothing else.
struct ParserWordDropoutTests {
    /// Word ids 3, 4, 5 were seen 1, 3 and 99 times; 0 is `<unk>`, 1 and 2 the boundaries.
    static let counts = [0, 8544, 8544, 1, 3, 99]

    static func sentence(repeats: Int) -> ParserFeatures.Encoded {
        let inner: [Int32] = (0 ..< repeats).flatMap { _ in [3, 4, 5] }
        let suffixes: [Int32] = inner.map { $0 + 10 }
        let shapes = [Int32](repeating: 1, count: inner.count)
        return ParserFeatures.Encoded(
            words: [1] + inner + [2], suffixes: [0] + suffixes + [0], shapes: [0] + shapes + [0])
    }

    /// A word seen c times reads `<unk>` at the rate α/(α + c); boundaries, endings and
    /// shapes stay.
    @Test(arguments: [0.25, 1.0])
    func replacesAWordAtTheRateAlphaOverAlphaPlusCount(alpha: Double) {
        let dropout = WordDropout(alpha: alpha, counts: Self.counts)
        let n = 20000
        let original = Self.sentence(repeats: n)
        var random = SplitMix64(seed: 11)
        let dropped = original.droppingWords(dropout, random: &random)
        #expect(dropped.words.first == 1 && dropped.words.last == 2)
        #expect(dropped.suffixes == original.suffixes && dropped.shapes == original.shapes)
        #expect(zip(dropped.words, original.words).allSatisfy { $0 == 0 || $0 == $1 })
        for (k, word) in [Int32(3), 4, 5].enumerated() {
            let positions = stride(from: 1 + k, to: original.words.count - 1, by: 3)
            #expect(positions.allSatisfy { original.words[$0] == word })
            let replaced = positions.filter { dropped.words[$0] == 0 }.count
            let kept = positions.filter { dropped.words[$0] == word }.count
            #expect(replaced + kept == n)
            let expected = alpha / (alpha + Double(Self.counts[Int(word)]))
            let sigma = (expected * (1 - expected) / Double(n)).squareRoot()
            let rate = Double(replaced) / Double(n)
            #expect(abs(rate - expected) < 4 * sigma, "word seen \(Self.counts[Int(word)]) times: \(rate)")
        }
    }

    /// α = 0 leaves the sentence as it is and draws nothing from the stream.
    @Test func alphaZeroChangesNothing() {
        let dropout = WordDropout(alpha: 0, counts: Self.counts)
        let original = Self.sentence(repeats: 100)
        var random = SplitMix64(seed: 11)
        var untouched = random
        let same = original.droppingWords(dropout, random: &random)
        #expect(same.words == original.words)
        #expect(random.next() == untouched.next())
    }

    /// The option reaches training; its draws use no other random stream (a tiny α that
    /// replaces nothing trains the same weights as α = 0, so with α = 0 training is what it
    /// was without word dropout); the file records it; a bad α is an error, not a trap.
    @Test func trainingHonoursTheOptionAndNothingElseMoves() throws {
        let bank = try TestTreebanks.treebank(count: 40, seed: 4)
        var options = ParserTrainingOptions()
        options.epochs = 1; options.batchSize = 8; options.threads = 1
        options.config.hidden = 16; options.config.spanHidden = 16
        func train(_ alpha: Double) throws -> SpanParser {
            options.wordDropout = alpha
            return try ParserTraining.train(train: bank, dev: bank, options: options) { _ in }.parser
        }
        let off = try train(0)
        let tiny = try train(1e-12)
        let on = try train(1)
        #expect(off.parameters == tiny.parameters)
        #expect(on.parameters != off.parameters)
        #expect(off.info["word_dropout"] == "0.0" && on.info["word_dropout"] == "1.0")
        #expect(on.info["dropout"] == String(options.dropout))
        let error = #expect(throws: ParserFileError.self) { try train(-1) }
        #expect(error?.message.contains("must be zero or a positive number") == true)
    }
}
