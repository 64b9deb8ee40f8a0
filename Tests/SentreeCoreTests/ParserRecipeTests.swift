import Foundation
import Testing
@testable import SentreeCore

/// Which cached parsers are called out of date: those trained with an earlier day's
/// defaults, never those trained with settings someone chose.
struct ParserRecipeTests {
    /// A parser of `config`'s sizes whose file says `info`.
    func parser(_ config: ParserConfig = ParserConfig(), info: [String: String]) -> SpanParser {
        let features = ParserFeatures.build(
            from: [["The", "film", "is", "good", "."]], characters: config.hasCharacters)
        let layout = ParserLayout(
            config: config, wordCount: features.words.count, suffixCount: features.suffixes.count,
            characterCount: features.characters?.count ?? 0)
        return SpanParser(
            features: features, layout: layout, parameters: [Float](repeating: 0, count: layout.count),
            info: info)
    }

    /// What a file written on 2026-12-05 before `word_dropout` was recorded holds.
    let beforeWordDropout = [
        "epochs": "10", "loss": "hinge", "learning_rate": "0.004", "learning_rate_decay": "0.8",
    ]

    @Test func theRecipeIsDefaultOnlyForTheDefaults() {
        var options = ParserTrainingOptions()
        #expect(options.recipe == "default")
        options.embeddings = "/some/vectors.txt"
        options.config.wordDim = 300
        options.seed = 5
        options.threads = 1
        #expect(options.recipe == "default", "vectors, seed and threads are not the recipe")
        var changed = options
        changed.wordDropout = 1
        #expect(changed.recipe == "custom")
        changed = options
        changed.config.hidden = 96
        #expect(changed.recipe == "custom")
        changed = options
        changed.epochs = 12
        #expect(changed.recipe == "custom")
        changed = options
        changed.config.charChannels = 32
        #expect(changed.recipe == "custom")
        changed = options
        changed.config.charDim = 32
        #expect(changed.recipe == "default", "without characters their width shapes nothing")
    }

    @Test func aParserOfTheOldDefaultsIsOutdated() {
        let old = parser(info: beforeWordDropout)
        #expect(old.outdatedSettings(today: ParserTrainingOptions()) == ["word dropout was 0.25, now 4.0"])
        var today = beforeWordDropout
        today["word_dropout"] = "4.0"
        today["dropout"] = "0.2"
        #expect(parser(info: today).outdatedSettings(today: ParserTrainingOptions()).isEmpty)
    }

    @Test func aParserOfChosenSettingsIsNeverOutdated() {
        var small = ParserConfig()
        small.hidden = 16
        small.spanHidden = 16
        #expect(
            parser(small, info: beforeWordDropout).outdatedSettings(today: ParserTrainingOptions()).isEmpty)
        var chosen = beforeWordDropout
        chosen["learning_rate"] = "0.002"
        #expect(parser(info: chosen).outdatedSettings(today: ParserTrainingOptions()).isEmpty)
        var custom = beforeWordDropout
        custom["recipe"] = "custom"
        #expect(parser(info: custom).outdatedSettings(today: ParserTrainingOptions()).isEmpty)
    }

    /// A file marked `default` is compared with today's defaults, sizes included.
    @Test func aDefaultParserIsComparedSettingBySetting() {
        var info = beforeWordDropout
        info["recipe"] = "default"
        info["word_dropout"] = "4.0"
        var today = ParserTrainingOptions()
        #expect(parser(info: info).outdatedSettings(today: today).isEmpty)
        today.config.hidden = 256
        today.epochs = 12
        #expect(
            parser(info: info).outdatedSettings(today: today) == [
                "LSTM width was 192, now 256", "epochs was 10, now 12",
            ])
    }

    /// A parser with characters, marked default (defaults that had them), against today's.
    @Test func charactersAreASetting() {
        var config = ParserConfig()
        config.charChannels = 32
        var info = beforeWordDropout
        info["word_dropout"] = "4.0"
        #expect(parser(config, info: info).outdatedSettings(today: ParserTrainingOptions()).isEmpty)
        info["recipe"] = "default"
        #expect(
            parser(config, info: info).outdatedSettings(today: ParserTrainingOptions()) == [
                "character channels was 32, now 0"
            ])
    }
}
