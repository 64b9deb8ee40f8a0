/// Where each tensor of a span parser lives in its one flat parameter array.
///
/// Shapes (row-major): word vectors [V × dw], suffix vectors [S × ds], shape vectors
/// [8 × dsh]; per LSTM direction `Wx` [x × 4h] (x = padded input width; rows past
/// dw+ds+dsh stay zero), `Wh` [h × 4h], `b` [4h], gates in the order i, f, o, g; the span
/// scorer's `W1` [2h × 2H] (rows 0..<h read a fencepost's forward state, h..<2h its negated
/// backward state; columns 0..<H are W_L, applied where a span starts, H..<2H are W_R, where
/// it ends), `b1` [H], `v` [H], `c` [1]. A second BiLSTM layer (`forward2`, `backward2`)
/// sits between the first and the scorer, its `Wx` [2h × 4h] reading the first layer's
/// forward state then its backward state at the same position. With a character encoder,
/// after all of these: character vectors [K × dc], the filter [3dc × C] (row j·dc + e reads
/// element e of the window's character j) and its bias [C]; the LSTM input row is then word,
/// suffix, shape vectors and the C encoder outputs. Without one the layout is exactly the
/// one before the encoder existed. Every tensor starts at a multiple of 16 scalars.
public struct ParserLayout: Sendable, Equatable {
    public let config: ParserConfig
    public let wordCount: Int
    public let suffixCount: Int
    /// Rows of the character vector table (`ParserCharacters.count`); 0 without characters.
    public let characterCount: Int

    public struct Direction: Sendable, Equatable {
        public let wx: Int, wh: Int, b: Int
    }

    public let words: Int, suffixes: Int, shapes: Int
    /// The first layer's directions.
    public let forward: Direction, backward: Direction
    public struct Layer: Sendable, Equatable {
        public let forward: Direction, backward: Direction
    }

    /// Each layer's directions, bottom first.
    public let layers: [Layer]
    public let w1: Int, b1: Int, v: Int, c: Int
    /// The character encoder's tensors (equal to `count`, and empty, without one).
    public let characters: Int, characterFilter: Int, characterBias: Int
    public let count: Int

    public init(config: ParserConfig, wordCount: Int, suffixCount: Int, characterCount: Int = 0) {
        precondition(config.hasCharacters == (characterCount > 0), "character table without encoder or back")
        self.config = config
        self.wordCount = wordCount
        self.suffixCount = suffixCount
        self.characterCount = characterCount
        var next = 0
        func take(_ n: Int) -> Int { defer { next += padded(n) }; return next }
        let h = config.hidden, x = config.inputWidth
        words = take(wordCount * config.wordDim)
        suffixes = take(suffixCount * config.suffixDim)
        shapes = take(ParserFeatures.shapeCount * config.shapeDim)
        var layers: [Layer] = []
        for layer in 0 ..< config.layers {
            let input = layer == 0 ? x : 2 * h
            let f = Direction(wx: take(input * 4 * h), wh: take(h * 4 * h), b: take(4 * h))
            let b = Direction(wx: take(input * 4 * h), wh: take(h * 4 * h), b: take(4 * h))
            layers.append(Layer(forward: f, backward: b))
        }
        self.layers = layers
        forward = layers[0].forward
        backward = layers[0].backward
        w1 = take(2 * h * 2 * config.spanHidden)
        b1 = take(config.spanHidden)
        v = take(config.spanHidden)
        c = take(1)
        let dc = config.hasCharacters ? config.charDim : 0
        characters = take(characterCount * dc)
        characterFilter = take(3 * dc * config.charChannels)
        characterBias = take(config.charChannels)
        count = next
    }

    /// Named tensors with their shapes, in storage order (for the file and the gradient check).
    public var tensors: [(name: String, offset: Int, shape: [Int])] {
        let h = config.hidden, x = config.inputWidth
        var list: [(String, Int, [Int])] = [
            ("word_vectors", words, [wordCount, config.wordDim]),
            ("suffix_vectors", suffixes, [suffixCount, config.suffixDim]),
            ("shape_vectors", shapes, [ParserFeatures.shapeCount, config.shapeDim]),
        ]
        for (k, layer) in layers.enumerated() {
            let tag = k == 0 ? "" : String(k + 1), input = k == 0 ? x : 2 * h
            for (name, d) in [("forward\(tag)", layer.forward), ("backward\(tag)", layer.backward)] {
                list += [
                    ("\(name)_wx", d.wx, [input, 4 * h]), ("\(name)_wh", d.wh, [h, 4 * h]),
                    ("\(name)_b", d.b, [4 * h]),
                ]
            }
        }
        list += [
            ("span_w1", w1, [2 * h, 2 * config.spanHidden]), ("span_b1", b1, [config.spanHidden]),
            ("span_v", v, [config.spanHidden]), ("span_c", c, [1]),
        ]
        if config.hasCharacters {
            let dc = config.charDim, channels = config.charChannels
            list += [
                ("char_vectors", characters, [characterCount, dc]),
                ("char_filter", characterFilter, [3 * dc, channels]),
                ("char_bias", characterBias, [channels]),
            ]
        }
        return list.map { (name: $0.0, offset: $0.1, shape: $0.2) }
    }

    /// Random starting values: small normal word vectors, uniform Glorot-style weights,
    /// forget-gate biases at 1 (so the LSTMs start by remembering).
    public func initialParameters(seed: UInt64) -> [Float] {
        var g = SplitMix64.stream(seed: seed, 0x5041_5253)
        var p = [Float](repeating: 0, count: count)
        let h = config.hidden,
            inputs = config.wordDim + config.suffixDim + config.shapeDim + config.charChannels
        func fill(_ offset: Int, rows: Int, cols: Int, stride: Int? = nil, scale: Double) {
            for r in 0 ..< rows {
                for j in 0 ..< cols { p[offset + r * (stride ?? cols) + j] = Float(g.symmetric(scale)) }
            }
        }
        fill(words, rows: wordCount, cols: config.wordDim, scale: 0.1)
        fill(suffixes, rows: suffixCount, cols: config.suffixDim, scale: 0.1)
        fill(shapes, rows: ParserFeatures.shapeCount, cols: config.shapeDim, scale: 0.1)
        for (k, layer) in layers.enumerated() {
            let fanIn = k == 0 ? inputs : 2 * h
            for d in [layer.forward, layer.backward] {
                fill(d.wx, rows: fanIn, cols: 4 * h, scale: (6.0 / Double(fanIn + h)).squareRoot())
                fill(d.wh, rows: h, cols: 4 * h, scale: (6.0 / Double(2 * h)).squareRoot())
                for j in h ..< 2 * h { p[d.b + j] = 1 }
            }
        }
        // W_L = −W_R: the scorer starts as Stern et al.'s difference of fenceposts.
        let H = config.spanHidden
        fill(w1 + H, rows: 2 * h, cols: H, stride: 2 * H, scale: (6.0 / Double(2 * h + H)).squareRoot())
        for r in 0 ..< 2 * h { for j in 0 ..< H { p[w1 + r * 2 * H + j] = -p[w1 + r * 2 * H + H + j] } }
        fill(v, rows: 1, cols: config.spanHidden, scale: (6.0 / Double(config.spanHidden + 1)).squareRoot())
        // Drawn last, so that the draws above are those of a parser without characters.
        if config.hasCharacters {
            let dc = config.charDim, channels = config.charChannels
            fill(characters, rows: characterCount, cols: dc, scale: 0.5)
            fill(
                characterFilter, rows: 3 * dc, cols: channels,
                scale: (6.0 / Double(3 * dc + channels)).squareRoot())
        }
        return p
    }
}
