import Foundation
import Testing
@testable import SentreeCore

@Suite struct VocabularyTests {
    let bank = try! Treebank.parse(
        """
        (3 (2 (2 The) (2 film)) (3 (2 the) (4 rocks)))
        (1 (2 film) (1 (2 The) (1 sucks)))
        """, source: "mem")

    @Test func buildOrdersByFrequencyThenText() {
        let v = Vocabulary.build(from: bank, lowercase: true)
        // the ×3, film ×2, then rocks, sucks (ties in ascending order).
        #expect(v.words == ["<unk>", "the", "film", "rocks", "sucks"])
        #expect(v.count == 5)
        #expect(v.lowercase)
    }

    @Test func keepsCaseWhenAsked() {
        let v = Vocabulary.build(from: bank, lowercase: false)
        #expect(v.words == ["<unk>", "The", "film", "rocks", "sucks", "the"])
        #expect(v.id(of: "The") == 1 && v.id(of: "the") == 5 && v.id(of: "THE") == 0)
    }

    @Test func lookupLowercasesAndMapsUnknownToZero() {
        let v = Vocabulary.build(from: bank, lowercase: true)
        #expect(v.id(of: "THE") == 1)
        #expect(v.id(of: "Film") == 2)
        #expect(v.id(of: "masterpiece") == 0)
        #expect(v.id(of: "<unk>") == 0)
    }

    @Test func encodeGivesWordIdsAtLeavesAndMinusOneInside() throws {
        let v = Vocabulary.build(from: bank, lowercase: true)
        let dev = try Treebank.parse("(2 (2 the) (3 (2 new) (3 film)))", source: "dev")
        #expect(v.encode(dev) == [1, 0, 2, -1, -1])
        #expect(v.encode(bank).count == bank.nodeCount)
    }

    @Test func unknownTokenInDataGetsNoRow() throws {
        let tb = try Treebank.parse("(2 (2 <UNK>) (2 a))", source: "mem")
        let v = Vocabulary.build(from: tb, lowercase: true)
        #expect(v.words == ["<unk>", "a"])
    }

    @Test func buildIsDeterministic() {
        let a = Vocabulary.build(from: bank, lowercase: true)
        let b = Vocabulary.build(from: bank, lowercase: true)
        #expect(a == b)
        #expect(a != Vocabulary.build(from: bank, lowercase: false))
        #expect(a == Vocabulary(words: a.words, lowercase: true))
    }

    @Test func validationRejectsBadWordLists() {
        #expect(throws: VocabularyError(message: "vocabulary must start with <unk>, found 'a'")) {
            try Vocabulary(validating: ["a", "<unk>"], lowercase: true)
        }
        #expect(throws: VocabularyError(message: "vocabulary must start with <unk>, found no words")) {
            try Vocabulary(validating: [], lowercase: true)
        }
        #expect(throws: VocabularyError(message: "vocabulary word 'a' appears twice (ids 1 and 2)")) {
            try Vocabulary(validating: ["<unk>", "a", "a"], lowercase: true)
        }
        #expect(throws: VocabularyError(message: "vocabulary word '<unk>' appears twice (ids 0 and 1)")) {
            try Vocabulary(validating: ["<unk>", "<unk>"], lowercase: false)
        }
    }

    @Test(.enabled(if: sstAvailable)) func sstTrainVocabularySize() throws {
        let train = try Treebank.load(contentsOf: sstDirectory + "/train.txt")
        let v = Vocabulary.build(from: train, lowercase: true)
        #expect(v.count == 16_581 + 1)
        #expect(v.words[1] == "the" || v.words[1] == ".")
        #expect(v.id(of: "8\u{00A0}1\\/2") > 0)
        let dev = try Treebank.load(contentsOf: sstDirectory + "/dev.txt")
        let unseen = dev.tokens.filter { v.id(of: $0) == 0 }.count
        let share = Double(unseen) / Double(dev.tokens.count)
        #expect(abs(share - 0.05) < 0.005)  // data notes: 5.0% of dev tokens are unseen
    }
}
