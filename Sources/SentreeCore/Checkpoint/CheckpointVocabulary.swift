extension PretrainedVectors {
    /// Words of `treebank` that `checkpoint` never saw in training but `file` has a vector
    /// for, added to its vocabulary with that vector, so they are read as themselves instead
    /// of `<unk>` (for `eval` and `predict`).
    ///
    /// Returns the extended checkpoint (without optimizer state) and the number of words and
    /// tokens that gained a vector.
    public static func extend(
        _ checkpoint: Checkpoint, for treebank: Treebank, file: String
    ) throws
        -> (checkpoint: Checkpoint, words: Int, tokens: Int)
    {
        try extend(checkpoint, forTokens: treebank.tokens, file: file)
    }

    /// `extend(_:for:file:)` for the tokens of any number of inputs (one pass over the file).
    public static func extend(
        _ checkpoint: Checkpoint, forTokens tokens: some Sequence<String>,
        file: String
    ) throws -> (checkpoint: Checkpoint, words: Int, tokens: Int) {
        let vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
        var unseen: [String] = [Vocabulary.unknownToken]
        var seen: Set<String> = []
        var unseenTokens: [String: Int] = [:]
        for token in tokens {
            let word = checkpoint.lowercase ? token.lowercased() : token
            guard vocabulary.id(of: token) == 0 else { continue }
            unseenTokens[word, default: 0] += 1
            if seen.insert(word).inserted { unseen.append(word) }
        }
        guard unseen.count > 1 else { return (checkpoint, 0, 0) }
        let (dimension, vectors) = try lookUp(
            file, vocabulary: Vocabulary(words: unseen, lowercase: checkpoint.lowercase))
        let x = checkpoint.model.inputWidth
        guard dimension == x else {
            throw EmbeddingsError(
                "\(file) has \(dimension)-dimensional vectors, the model's words are \(x)-dimensional")
        }
        var added: [String] = [], rows: [Float] = [], tokens = 0
        for (k, v) in vectors.enumerated() where k > 0 {
            guard let v else { continue }
            added.append(unseen[k])
            rows += v
            tokens += unseenTokens[unseen[k]] ?? 0
        }
        guard !added.isEmpty else { return (checkpoint, 0, 0) }
        var out = checkpoint
        let layout = ParameterLayout(checkpoint.model)
        out.model.vocabularySize += added.count
        out.vocabulary += added
        out.parameters =
            Array(checkpoint.parameters[layout.L.range]) + rows
            + checkpoint.parameters[layout.L.range.upperBound...]
        out.optimizerState = []
        return (out, added.count, tokens)
    }
}
