import Foundation

/// Settings of `sentree parser train`.
public struct ParserTrainingOptions: Sendable {
    public var config = ParserConfig()
    public var epochs = 10
    public var seed: UInt64 = 1
    /// Sentences per update.
    public var batchSize = 32
    /// With the decay below, 0.004 beat a constant 0.002 by 0.6 dev F1 (RESULTS.md, "Parsing
    /// plain text"): larger steps early, smaller ones where dev F1 levels off.
    public var learningRate: Float = 0.004
    /// Each epoch's learning rate is the previous one's times this (1: constant).
    public var learningRateDecay = 0.8
    /// Word dropout α: a training word seen c times is read as `<unk>` with probability
    /// α / (α + c), so the network learns what to do with words it has never seen
    /// (`ParserWordDropout.swift`; 0: off). On SST dev, seeds 1 and 2, α = 4 beat the
    /// earlier 0.25 by 0.6 F1 and no word dropout by 1.4 (RESULTS.md, "Word dropout for the
    /// parser"); 16 did no better.
    public var wordDropout = 4.0
    /// Dropout rate of the LSTM inputs and of the fenceposts. With the hinge loss 0.2 beat
    /// 0.4 (the logistic loss wanted more).
    public var dropout = 0.2
    /// A GloVe or word2vec text file to start the word vectors from (its width replaces `wordDim`).
    public var embeddings: String?
    /// How a sentence's span scores are trained (see `ParserLoss`).
    public var loss = ParserLoss.hinge
    /// Threads (1 or 2): each batch is cut in two halves whatever this is, so the trained
    /// parser is the same; two threads take about half the time on two idle cores.
    public var threads = 2

    public init() {}
}

/// The training objective of the span scores.
public enum ParserLoss: String, Sendable, CaseIterable {
    /// Margin between the gold tree and the best tree under scores plus a Hamming cost
    /// (Stern et al. 2017): it trains the scores to rank whole trees, which CKY then compares.
    case hinge
    /// Each span an independent logistic gold-or-not decision.
    case logistic
}

/// What training reports as it goes.
public enum ParserProgress: Sendable {
    case note(String)
    /// `done` of `total` batches of `epoch` (1-based), `seconds` since training started.
    case batch(epoch: Int, done: Int, total: Int, loss: Double, seconds: Double)
    case epoch(ParserEpoch)
}

public struct ParserEpoch: Sendable {
    public var epoch: Int
    /// Mean span loss per training sentence.
    public var loss: Double
    public var dev: BracketScore
    public var seconds: Double
    /// Whether this epoch's dev F1 is the best so far (its weights are kept).
    public var isBest: Bool
}

/// Trains a span parser on a treebank's bracketing, keeping the weights of the epoch with
/// the best dev F1. Deterministic for a seed: one thread, seeded shuffles and dropout.
public enum ParserTraining {
    public static func train(
        train: Treebank, dev: Treebank, options: ParserTrainingOptions,
        progress: (ParserProgress) -> Void
    ) throws -> (parser: SpanParser, epochs: [ParserEpoch]) {
        let clock = ContinuousClock.now
        func seconds() -> Double {
            let d = ContinuousClock.now - clock
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let sentences = (0 ..< train.count).map { ParserData.tokens(of: $0, in: train) }
        let spans = (0 ..< train.count).map { BracketScore.spans(of: $0, in: train) }
        let features = ParserFeatures.build(from: sentences, characters: options.config.hasCharacters)
        var config = options.config
        var vectors: [[Float]?]? = nil
        if let file = options.embeddings {
            let found = try PretrainedVectors.lookUp(file, vocabulary: features.words)
            config.wordDim = found.dimension
            vectors = found.vectors
        }
        if let problem = config.problem { throw ParserFileError("invalid parser sizes: \(problem)") }
        guard WordDropout.isValid(alpha: options.wordDropout) else {
            throw ParserFileError(WordDropout.invalidAlphaMessage(options.wordDropout))
        }
        let layout = ParserLayout(
            config: config, wordCount: features.words.count,
            suffixCount: features.suffixes.count, characterCount: features.characters?.count ?? 0)
        var parameters = layout.initialParameters(seed: options.seed)
        if let vectors, let file = options.embeddings {
            let encoded = sentences.flatMap { $0.map(features.words.id(of:)) }
            let coverage = PretrainedVectors.apply(
                vectors, to: &parameters, offset: layout.words,
                dimension: config.wordDim, file: file, tokens: encoded)
            progress(.note("word vectors from \(file): \(coverage.summary)"))
        }
        progress(
            .note(
                "\(train.count) training sentences, \(features.words.count) words, "
                    + "\(features.suffixes.count) endings, "
                    + (features.characters.map { "\($0.count) characters, " } ?? "")
                    + "\(layout.count) parameters"))

        let encoded = sentences.map(features.encode)
        var counts = [Int](repeating: 0, count: features.words.count)
        for e in encoded { for w in e.words { counts[Int(w)] += 1 } }
        let wordDropout = WordDropout(alpha: options.wordDropout, counts: counts)
        var adam = ParserAdam(count: layout.count, learningRate: options.learningRate)
        var gradient = [Float](repeating: 0, count: layout.count)
        let workers = ParserWorkers(layout: layout, threads: options.threads)
        // Batches of similar length, so the packed LSTM rows are dense; their order is shuffled.
        let byLength = encoded.indices.sorted {
            encoded[$0].count != encoded[$1].count
                ? encoded[$0].count < encoded[$1].count : $0 < $1
        }
        let batches = stride(from: 0, to: byLength.count, by: options.batchSize).map {
            Array(byLength[$0 ..< min($0 + options.batchSize, byLength.count)])
        }
        var epochs: [ParserEpoch] = []
        var best: (f1: Double, parameters: [Float])? = nil
        for epoch in 1 ... max(options.epochs, 1) {
            adam.learningRate =
                options.learningRate * Float(pow(options.learningRateDecay, Double(epoch - 1)))
            var random = SplitMix64.stream(seed: options.seed, UInt64(epoch))
            var order = Array(batches.indices)
            order.shuffle(using: &random)
            var total = 0.0
            for (done, b) in order.enumerated() {
                let members = batches[b]
                let inputs = members.map { encoded[$0].droppingWords(wordDropout, random: &random) }
                let half = (members.count + 1) / 2
                let parts = [0 ..< half, half ..< members.count].filter { !$0.isEmpty }.map { r in
                    (inputs: Array(inputs[r]), spans: r.map { spans[members[$0]] })
                }
                let loss = workers.lossAndGradient(
                    parts, parameters: parameters, gradient: &gradient, scale: 1 / Float(members.count),
                    dropout: options.dropout,
                    seed: options.seed &* 0x9E37_79B9 &+ UInt64(epoch) << 32 &+ UInt64(done),
                    loss: options.loss)
                total += Double(loss) * Double(members.count)
                adam.step(&parameters, gradient: gradient)
                if done % 8 == 0 || done == order.count - 1 {
                    progress(
                        .batch(
                            epoch: epoch, done: done + 1, total: order.count,
                            loss: total / Double(max(1, done + 1)) / Double(options.batchSize),
                            seconds: seconds()))
                }
            }
            let current = SpanParser(features: features, layout: layout, parameters: parameters)
            let score = current.evaluate(dev, threads: options.threads)
            let isBest = best.map { score.f1 > $0.f1 } ?? true
            if isBest { best = (score.f1, parameters) }
            let report = ParserEpoch(
                epoch: epoch, loss: total / Double(train.count), dev: score,
                seconds: seconds(), isBest: isBest)
            epochs.append(report)
            progress(.epoch(report))
        }
        let chosen = epochs.first { $0.isBest && $0.dev.f1 == best!.f1 }!
        let info: [String: String] = [
            "dev_f1": String(format: "%.2f", chosen.dev.f1),
            "dev_sentences": String(dev.count),
            "epoch": String(chosen.epoch),
            "epochs": String(options.epochs),
            "seed": String(options.seed),
            "trained": ISO8601DateFormatter().string(from: Date()),
            "training_seconds": String(format: "%.1f", seconds()),
            "train_source": train.source,
            "dev_source": dev.source,
            "embeddings": options.embeddings ?? "",
            "loss": options.loss.rawValue,
            "dropout": String(options.dropout),
            "word_dropout": String(options.wordDropout),
            "learning_rate": String(options.learningRate),
            "learning_rate_decay": String(options.learningRateDecay),
            "recipe": options.recipe,
        ]
        return (
            SpanParser(features: features, layout: layout, parameters: best!.parameters, info: info), epochs
        )
    }
}
