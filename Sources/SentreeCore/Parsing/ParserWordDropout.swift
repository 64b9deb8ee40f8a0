/// Word dropout in parser training (Kiperwasser and Goldberg 2016, as in the span parsers of
/// Stern et al. 2017 and Kitaev and Klein 2018): a training word seen c times reads `<unk>`
/// with probability α/(α + c) (`WordDropout`), while its ending and shape stay. Without it
/// the `<unk>` row never trains, yet every dev or test word that training lacks reads it;
/// with it the network learns to bracket such a word from its ending and shape.
extension ParserFeatures.Encoded {
    /// The sentence with words replaced by `<unk>` as `dropout` decides from `random`: one
    /// draw (the top 32 bits of `next()`) per word in order, none for the boundaries, and
    /// none at all when α is 0, which leaves the sentence as it is.
    func droppingWords(_ dropout: WordDropout, random: inout SplitMix64) -> Self {
        guard dropout.alpha > 0 else { return self }
        var e = self
        for w in 1 ..< words.count - 1 {
            let draw = UInt32(truncatingIfNeeded: random.next() >> 32)
            if dropout.replaces(words[w], draw: draw) { e.words[w] = 0 }
        }
        return e
    }
}
