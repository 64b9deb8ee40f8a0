import Foundation
import Testing
@testable import SentreeCore

@Suite struct PretrainedVectorsTests {
    @Test func sstSpellingsMapToTheFilesSpellings() {
        #expect(PretrainedVectors.spellings(of: "-LRB-") == ["-LRB-", "(", "-lrb-"])
        #expect(PretrainedVectors.spellings(of: "-lrb-") == ["-lrb-", "("])
        #expect(PretrainedVectors.spellings(of: "1\\/2") == ["1\\/2", "1/2"])
        #expect(PretrainedVectors.spellings(of: "Good") == ["Good", "good"])
        #expect(PretrainedVectors.spellings(of: "movie") == ["movie"])
    }

    /// A file the test writes: exact case wins, lower case is the fallback, escapes map,
    /// missing words keep their random row, and coverage counts words and tokens.
    @Test func vectorsInitializeLAndCoverageIsCounted() throws {
        let dir = temporaryDirectory()
        let file = dir + "/vectors.txt"
        try """
        good 1 2 3
        Good 4 5 6
        ( 7 8 9
        bad -1 -2 -3
        unused 0 0 0

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let tb = try Treebank.parse("(3 (2 -LRB-) (3 (3 Good) (2 film)))\n(1 (2 BAD) (1 bad))\n", source: "t")
        let vocabulary = Vocabulary.build(from: tb, lowercase: false)
        let (dimension, vectors) = try PretrainedVectors.lookUp(file, vocabulary: vocabulary)
        #expect(dimension == 3)
        func vector(_ w: String) -> [Float]? { vectors[Int(vocabulary.id(of: w))] }
        #expect(vector("Good") == [4, 5, 6])
        #expect(vector("-LRB-") == [7, 8, 9])
        #expect(vector("BAD") == [-1, -2, -3])  // lower-case fallback
        #expect(vector("bad") == [-1, -2, -3])
        #expect(vector("film") == nil)
        #expect(vectors[0] == nil)  // <unk> never takes a vector

        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 3, vocabularySize: vocabulary.count))
        var p = layout.initialParameters(seed: 1)
        let before = p
        let coverage = PretrainedVectors.apply(
            vectors, to: &p, offset: layout.L.offset, dimension: 3, file: file,
            tokens: vocabulary.encode(tb))
        #expect(
            Array(
                p[
                    layout.L.offset + 3 * Int(vocabulary.id(of: "Good")) ..< layout.L.offset + 3
                        * Int(vocabulary.id(of: "Good")) + 3]) == [4, 5, 6])
        let film = layout.L.offset + 3 * Int(vocabulary.id(of: "film"))
        #expect(p[film ..< film + 3] == before[film ..< film + 3])
        #expect(coverage.words == 5 && coverage.wordsFound == 4)
        #expect(coverage.tokens == 5 && coverage.tokensFound == 4)
        #expect(coverage.summary == "4 of 5 words (80.0%), 80.0% of tokens")
        #expect(try PretrainedVectors.dimension(of: file) == 3)
    }

    /// The trainer starts from the vectors, keeps the coverage in checkpoints, refuses a
    /// width that does not fit, and a frozen L stays as the file had it.
    @Test func trainerUsesVectorsAndFreezeKeepsThem() throws {
        let dir = temporaryDirectory()
        let train = try TestTreebanks.treebank(count: 40, seed: 1)
        let vocabulary = Vocabulary.build(from: train, lowercase: true)
        let file = dir + "/v.txt"
        let lines = vocabulary.words.dropFirst().enumerated().map { k, w in "\(w) \(k) 0.5 -1 2" }
        try (["\(lines.count) 4"] + lines).joined(separator: "\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        var c = TrainingConfig()
        c.dim = 4
        c.epochs = 2
        c.threads = 1
        c.embeddings = file
        c.embeddingLRScale = 0
        let t = try Trainer(
            config: c, train: train, dev: train, runDirectory: dir + "/run", onEvent: { _ in })
        #expect(t.embeddingCoverage?.wordsFound == vocabulary.count - 1)
        t.start(); t.wait()
        let last = try Checkpoint.read(from: dir + "/run/last.safetensors")
        #expect(last.embeddings == t.embeddingCoverage)
        let good = Int(Vocabulary(words: last.vocabulary, lowercase: true).id(of: last.vocabulary[3]))
        #expect(Array(last.parameters[4 * good ..< 4 * good + 4]) == [2, 0.5, -1, 2])
        c.dim = 5
        #expect {
            try Trainer(config: c, train: train, dev: train, runDirectory: nil, onEvent: { _ in })
        } throws: {
            "\($0)".contains("has 4-dimensional vectors but the model reads 5-dimensional words")
        }
    }

    /// eval's unseen words: those the file has join the vocabulary with their vector; the
    /// rest of the parameters are untouched, and words training saw are not looked up.
    @Test func unseenWordsJoinTheVocabularyWithTheirVectors() throws {
        let dir = temporaryDirectory()
        let file = dir + "/v.txt"
        try "superb 1 2\nawful 3 4\ngood 9 9\n".write(toFile: file, atomically: true, encoding: .utf8)
        let train = try Treebank.parse("(3 (2 a) (3 good))\n", source: "train")
        let vocabulary = Vocabulary.build(from: train, lowercase: true)
        let layout = ParameterLayout(ModelConfig(kind: .rnn, dim: 2, vocabularySize: vocabulary.count))
        let p = layout.initialParameters(seed: 2)
        let ckpt = Checkpoint(
            config: TrainingConfig(), model: layout.config, parameters: p, optimizerState: p,
            vocabulary: vocabulary.words, lowercase: true,
            progress: TrainingProgress(
                epochsCompleted: 1, stepInEpoch: 0, globalStep: 1,
                learningRate: 0.1, bestFineRoot: 0, bestEpoch: 1,
                elapsedSeconds: 1),
            history: [])
        let dev = try Treebank.parse(
            "(4 (4 Superb) (2 (2 good) (2 zzz)))\n(0 (0 awful) (0 superb))\n", source: "dev")
        let (out, words, tokens) = try PretrainedVectors.extend(ckpt, for: dev, file: file)
        #expect(words == 2 && tokens == 3)
        #expect(out.vocabulary == vocabulary.words + ["superb", "awful"])
        #expect(out.model.vocabularySize == vocabulary.count + 2)
        let L = layout.L.count
        #expect(Array(out.parameters[..<L]) == Array(p[..<L]))
        #expect(Array(out.parameters[L ..< L + 4]) == [1, 2, 3, 4])
        #expect(Array(out.parameters[(L + 4)...]) == Array(p[L...]))
        #expect(out.optimizerState.isEmpty)
        #expect(ParameterLayout(out.model).count == out.parameters.count)
    }
}
