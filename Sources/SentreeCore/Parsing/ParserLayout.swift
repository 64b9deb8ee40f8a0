/// Where each tensor of a span parser lives in its one flat parameter array.
///
/// Shapes (row-major): word vectors [V × dw], suffix vectors [S × ds], shape vectors
/// [8 × dsh]; per LSTM direction `Wx` [x × 4h] (x = padded input width; rows past
/// dw+ds+dsh stay zero), `Wh` [h × 4h], `b` [4h], gates in the order i, f, o, g; the span
/// scorer's `W1` [2h × H] (rows 0..<h read the forward difference, h..<2h the backward one),
/// `b1` [H], `v` [H], `c` [1]. Every tensor starts at a multiple of 16 scalars.
public struct ParserLayout: Sendable, Equatable {
    public let config: ParserConfig
    public let wordCount: Int
    public let suffixCount: Int

    public struct Direction: Sendable, Equatable {
        public let wx: Int, wh: Int, b: Int
    }

    public let words: Int, suffixes: Int, shapes: Int
    public let forward: Direction, backward: Direction
    public let w1: Int, b1: Int, v: Int, c: Int
    public let count: Int

    public init(config: ParserConfig, wordCount: Int, suffixCount: Int) {
        self.config = config
        self.wordCount = wordCount
        self.suffixCount = suffixCount
        var next = 0
        func take(_ n: Int) -> Int { defer { next += padded(n) }; return next }
        let h = config.hidden, x = config.inputWidth
        words = take(wordCount * config.wordDim)
        suffixes = take(suffixCount * config.suffixDim)
        shapes = take(ParserFeatures.shapeCount * config.shapeDim)
        forward = Direction(wx: take(x * 4 * h), wh: take(h * 4 * h), b: take(4 * h))
        backward = Direction(wx: take(x * 4 * h), wh: take(h * 4 * h), b: take(4 * h))
        w1 = take(2 * h * config.spanHidden)
        b1 = take(config.spanHidden)
        v = take(config.spanHidden)
        c = take(1)
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
        for (name, d) in [("forward", forward), ("backward", backward)] {
            list += [
                ("\(name)_wx", d.wx, [x, 4 * h]), ("\(name)_wh", d.wh, [h, 4 * h]),
                ("\(name)_b", d.b, [4 * h]),
            ]
        }
        list += [
            ("span_w1", w1, [2 * h, config.spanHidden]), ("span_b1", b1, [config.spanHidden]),
            ("span_v", v, [config.spanHidden]), ("span_c", c, [1]),
        ]
        return list.map { (name: $0.0, offset: $0.1, shape: $0.2) }
    }

    /// Random starting values: small normal word vectors, uniform Glorot-style weights,
    /// forget-gate biases at 1 (so the LSTMs start by remembering).
    public func initialParameters(seed: UInt64) -> [Float] {
        var g = SplitMix64.stream(seed: seed, 0x5041_5253)
        var p = [Float](repeating: 0, count: count)
        let h = config.hidden, inputs = config.wordDim + config.suffixDim + config.shapeDim
        func fill(_ offset: Int, rows: Int, cols: Int, stride: Int? = nil, scale: Double) {
            for r in 0 ..< rows {
                for j in 0 ..< cols { p[offset + r * (stride ?? cols) + j] = Float(g.symmetric(scale)) }
            }
        }
        fill(words, rows: wordCount, cols: config.wordDim, scale: 0.1)
        fill(suffixes, rows: suffixCount, cols: config.suffixDim, scale: 0.1)
        fill(shapes, rows: ParserFeatures.shapeCount, cols: config.shapeDim, scale: 0.1)
        for d in [forward, backward] {
            fill(d.wx, rows: inputs, cols: 4 * h, scale: (6.0 / Double(inputs + h)).squareRoot())
            fill(d.wh, rows: h, cols: 4 * h, scale: (6.0 / Double(2 * h)).squareRoot())
            for j in h ..< 2 * h { p[d.b + j] = 1 }
        }
        fill(
            w1, rows: 2 * h, cols: config.spanHidden,
            scale: (6.0 / Double(2 * h + config.spanHidden)).squareRoot())
        fill(v, rows: 1, cols: config.spanHidden, scale: (6.0 / Double(config.spanHidden + 1)).squareRoot())
        return p
    }
}
