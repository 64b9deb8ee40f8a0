import Testing
@testable import SentreeCore

/// One sentence per tokenizer rule, each written for the rule (not taken from SST).
struct TokenizerTests {
    func tokens(_ text: String) -> String { Tokenizer.tokens(of: text).joined(separator: " ") }

    @Test func splitsNegativeClitics() {
        #expect(tokens("I don't think so") == "I do n't think so")
        #expect(tokens("It can't last and won't end") == "It ca n't last and wo n't end")
        #expect(tokens("They DIDN'T care") == "They DID N'T care")
    }

    @Test func splitsOtherCliticsAndPossessives() {
        #expect(tokens("it's fine") == "it 's fine")
        #expect(
            tokens("we're here, you've gone, they'll stay, I'd go, I'm out")
                == "we 're here , you 've gone , they 'll stay , I 'd go , I 'm out")
        #expect(tokens("the director's cut") == "the director 's cut")
        #expect(tokens("the critics' darling") == "the critics ' darling")
        #expect(tokens("curly quotes: it’s") == "curly quotes : it 's")
    }

    @Test func escapesBracketsAndSlashes() {
        #expect(
            tokens("a remake (of sorts) [sic] {x}")
                == "a remake -LRB- of sorts -RRB- -LSB- sic -RSB- -LCB- x -RCB-")
        #expect(tokens("the writer/director and 2*3") == "the writer\\/director and 2\\*3")
    }

    @Test func turnsDoubleQuotesIntoPTBQuotes() {
        #expect(tokens("he said \"no way\" twice") == "he said `` no way '' twice")
        #expect(tokens("a \" loose \" quote") == "a `` loose '' quote")
        #expect(tokens("“Curly,” she said") == "`` Curly , '' she said")
        #expect(tokens("a film (\"Heat\") by him") == "a film -LRB- `` Heat '' -RRB- by him")
    }

    @Test func turnsSingleQuotesIntoPTBQuotes() {
        #expect(tokens("a 'small' movie") == "a ` small ' movie")
        #expect(tokens("yelled 'Stop!'") == "yelled ` Stop ! '")
    }

    @Test func keepsEllipsesAndDoubleDashesWhole() {
        #expect(tokens("well... maybe") == "well ... maybe")
        #expect(
            tokens("good--really good -- and more ... much more")
                == "good -- really good -- and more ... much more")
        #expect(tokens("wait…") == "wait ...")
    }

    @Test func keepsHyphenatedWordsWhole() {
        #expect(tokens("a well-acted, by-the-numbers thriller") == "a well-acted , by-the-numbers thriller")
        #expect(tokens("a gap - and a dash") == "a gap - and a dash")
    }

    @Test func keepsAbbreviations() {
        #expect(
            tokens("Mr. Smith vs. the U.S. and A.I., etc. too")
                == "Mr. Smith vs. the U.S. and A.I. , etc. too")
        #expect(tokens("directed by J. Smith") == "directed by J. Smith")
        #expect(tokens("Ocean's No. 1 fan") == "Ocean 's No. 1 fan")
        #expect(tokens("The answer is no.") == "The answer is no .")
    }

    @Test func keepsNumbersWhole() {
        #expect(
            tokens("It cost 1,000 dollars and scored 3.5 of 10.")
                == "It cost 1,000 dollars and scored 3.5 of 10 .")
        #expect(tokens("only $9 or 50%") == "only $ 9 or 50 %")
    }

    @Test func keepsElidedYearsAndApostropheWords() {
        #expect(tokens("a '70s throwback") == "a '70s throwback")
        #expect(tokens("rock 'n' roll, get 'em") == "rock 'n' roll , get 'em")
        #expect(tokens("Mr. O'Neill's film") == "Mr. O'Neill 's film")
    }

    @Test func splitsSentenceFinalPunctuation() {
        #expect(tokens("A fine film.") == "A fine film .")
        #expect(tokens("Is it good?!?") == "Is it good ?!?")
        #expect(tokens("It ends here.\" Then") == "It ends here . '' Then")
        #expect(tokens("The end. Or not!") == "The end . Or not !")
    }

    @Test func splitsCannotLikePTB() {
        #expect(tokens("I cannot say") == "I can not say")
    }

    @Test func keepsCasing() {
        #expect(tokens("SHOUTING Works") == "SHOUTING Works")
    }

    /// The detokenizer is the other half of `parser check-tokenizer`.
    @Test func detokenizerWritesPlausibleText() {
        let tokens = [
            "I", "ca", "n't", "say", "-LRB-", "or", "write", "-RRB-", "``", "it", "''", "in", "a",
            "`", "small", "'", "way", "--", "the", "critics", "'", "view", "\\/", "$", "9", "...",
        ]
        #expect(
            Detokenizer.text(of: tokens)
                == "I can't say (or write) \"it\" in a 'small' way -- the critics' view / $9...")
        #expect(Tokenizer.tokens(of: Detokenizer.text(of: tokens)) == tokens)
    }
}
