import Foundation
import Testing
@testable import SentreeCore

struct ParsingModelTests {
    /// Both losses with one layer; the second layer's backward with the default loss (the
    /// loss only changes the span gradients, which the one-layer cases check); with the
    /// character encoder (16 channels) and without (0).
    @Test(arguments: [(ParserLoss.hinge, 1, 16), (.logistic, 1, 16), (.hinge, 2, 16), (.hinge, 1, 0)])
    func gradientsMatchFiniteDifferences(loss: ParserLoss, layers: Int, charChannels: Int) {
        let report = ParserGradientCheck.run(
            hidden: 16, spanHidden: 32, layers: layers, charChannels: charChannels, sentences: 4, seed: 17,
            loss: loss)
        #expect(report.passed, "max relative error \(report.overall)")
        // Every tensor was checked, and most parameters were away from a ReLU kink.
        #expect(report.tensors.count == 13 + 6 * (layers - 1) + (charChannels > 0 ? 3 : 0))
        #expect(report.tensors.allSatisfy { $0.atKinks * 10 < $0.count + 10 })
    }

    /// With and without the character encoder, whose rows follow the forward LSTM's.
    @Test(arguments: [0, 16])
    func batchedLSTMMatchesOneSentenceAtATime(charChannels: Int) {
        var config = ParserConfig()
        config.hidden = 16; config.spanHidden = 16; config.wordDim = 5
        config.charChannels = charChannels; config.charDim = 4
        let sentences = [
            ["ab", "bc", "c"], ["d", "ee", "f", "g", "h"], ["a", "x"], ["b", "cd", "d", "e"],
        ]
        let features = ParserFeatures.build(from: sentences, characters: charChannels > 0)
        let layout = ParserLayout(
            config: config, wordCount: features.words.count, suffixCount: features.suffixes.count,
            characterCount: features.characters?.count ?? 0)
        let p = layout.initialParameters(seed: 3)
        let batch = SentenceBatch(sentences.map(features.encode))
        let together = SpanNetwork<Float>(layout: layout)
        p.withUnsafeBufferPointer { p in together.run(batch, p.baseAddress!) }
        for s in 0 ..< batch.count {
            let alone = SentenceBatch([batch.sentences[s]])
            let single = SpanNetwork<Float>(layout: layout)
            p.withUnsafeBufferPointer { pp in
                single.run(alone, pp.baseAddress!)
                let a = together.scorer.chart(s, in: batch, pp.baseAddress!, layout: layout)
                let b = single.scorer.chart(0, in: alone, pp.baseAddress!, layout: layout)
                #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }, "sentence \(s)")
            }
        }
    }

    func smallParser() -> SpanParser {
        var config = ParserConfig()
        config.hidden = 16; config.spanHidden = 16
        let features = ParserFeatures.build(from: [["The", "film", "is", "good", "."], ["Bad", "!"]])
        let layout = ParserLayout(
            config: config, wordCount: features.words.count, suffixCount: features.suffixes.count)
        return SpanParser(
            features: features, layout: layout, parameters: layout.initialParameters(seed: 9),
            info: ["dev_f1": "12.34"])
    }

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sentree-\(getpid())-\(name)").path
    }

    @Test func parserFileRoundTrips() throws {
        let parser = smallParser()
        let path = temporaryPath("parser.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(parser, to: path)
        let again = try ParserFile.read(from: path)
        #expect(again.parameters == parser.parameters)
        #expect(again.features == parser.features)
        #expect(again.layout == parser.layout)
        #expect(again.info["dev_f1"] == "12.34")
        let sentences = [["The", "film", "is", "not", "good", "."], ["Unheard", "words", "here"]]
        #expect(again.parse(sentences) == parser.parse(sentences))
    }

    @Test func twoThreadsParseAsOne() {
        let parser = smallParser()
        var g = SplitMix64(seed: 5)
        let words = ["The", "film", "is", "good", ".", "Bad", "!", "new"]
        // More than two batches of 64, of varied lengths.
        let sentences = (0 ..< 150).map { _ in
            (0 ..< 1 + Int(g.next() % 12)).map { _ in words[Int(g.next() % UInt64(words.count))] }
        }
        #expect(parser.parse(sentences, threads: 2) == parser.parse(sentences, threads: 1))
    }

    /// The batch is halved the same way whatever the thread count, so the weights are equal.
    @Test func trainingIsTheSameOnOneThreadAndTwo() throws {
        let bank = try TestTreebanks.treebank(count: 40, seed: 4)
        var options = ParserTrainingOptions()
        options.epochs = 1; options.batchSize = 8
        options.config.hidden = 16; options.config.spanHidden = 16; options.config.layers = 2
        options.threads = 1
        let one = try ParserTraining.train(train: bank, dev: bank, options: options) { _ in }.parser
        options.threads = 2
        let two = try ParserTraining.train(train: bank, dev: bank, options: options) { _ in }.parser
        #expect(one.parameters == two.parameters)
        #expect(one.parameters != one.layout.initialParameters(seed: options.seed))
    }

    @Test func anOlderFormatVersionIsAClearError() throws {
        let path = temporaryPath("old.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(smallParser(), to: path)
        let file = try SafeTensors.parse(try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        var metadata = file.metadata
        metadata["format_version"] = "1"
        let old = try SafeTensors.encode(
            tensors: file.entries.map { ($0.name, $0.shape, SafeTensors.floats($0, in: file.data)) },
            metadata: metadata)
        try old.write(to: URL(fileURLWithPath: path))
        let message = "\((#expect(throws: ParserFileError.self) { try ParserFile.read(from: path) })!)"
        #expect(message.contains("version 1 is not supported") && message.contains("parser train"))
    }

    @Test func unknownWordsReadAsUnk() {
        let parser = smallParser()
        let e = parser.features.encode(["film", "zyzzyva"])
        #expect(e.words.count == 4 && e.words[0] == 1 && e.words[3] == 2)
        #expect(e.words[1] > 2 && e.words[2] == 0)
    }

    @Test func corruptOrForeignFilesGiveClearErrors() throws {
        let parser = smallParser()
        let path = temporaryPath("corrupt.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParserFile.write(parser, to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: ParserFileError.self) { try ParserFile.read(from: path) }

        let foreign = try SafeTensors.encode(tensors: [("w", [2], [1, 2])], metadata: ["model": "rnn"])
        try foreign.write(to: URL(fileURLWithPath: path))
        let message = "\((#expect(throws: ParserFileError.self) { try ParserFile.read(from: path) })!)"
        #expect(message.contains("not a sentree parser file"))

        // A flipped weight becomes NaN: caught, not used.
        let header = Int(bytes.prefix(8).withUnsafeBytes { $0.load(as: UInt64.self) })
        for k in 0 ..< 4 { bytes[8 + header + k] = 0xFF }
        try bytes.write(to: URL(fileURLWithPath: path))
        let nan = "\((#expect(throws: ParserFileError.self) { try ParserFile.read(from: path) })!)"
        #expect(nan.contains("NaN"))
    }

    @Test func parsesEmptyAndOneWordSentences() {
        let trees = smallParser().parse([[], ["Bad"], ["Bad", "!"]])
        #expect(trees[0].spans.isEmpty && trees[1].spans == [Span(0, 1)])
        #expect(trees[2].spans.count == 3)
    }

    @Test func inputRulesReportLineAndColumn() {
        let error = #expect(throws: InputError.self) {
            try SentenceInput.tokens(of: "good \u{1B}[31mbad", line: 4, source: "<stdin>")
        }
        #expect(error?.line == 4 && error?.column == 6)
        #expect(
            (try? SentenceInput.tokens(of: "It's fine.", line: 1, source: "x")) == ["It", "'s", "fine", "."])
    }

    /// Needs the SST (SST_DIR or ../shared/data/sst): a short run must beat right-branching
    /// (33.5 F1 on dev) by far.
    @Test func learnsSSTBracketing() throws {
        guard let dir = TestTreebanks.sstDirectory, ProcessInfo.processInfo.environment["SST_DIR"] != nil
        else { return }
        let train = try Treebank.load(contentsOf: dir + "/train.txt")
        let dev = try Treebank.load(contentsOf: dir + "/dev.txt")
        var options = ParserTrainingOptions()
        options.epochs = 2
        let (parser, epochs) = try ParserTraining.train(train: train, dev: dev, options: options) { _ in }
        #expect(epochs.count == 2)
        let f1 = parser.evaluate(dev).f1
        #expect(f1 >= 60, "dev F1 \(f1)")
    }
}
