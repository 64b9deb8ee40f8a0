import RealModule

extension ParameterLayout {
    /// Fresh parameters for training, in layout order.
    ///
    /// `L ~ N(0, 0.1²)`; the model's own tensors as the model says (see its `initialize`);
    /// `U` as the model says too (`N(0, 1/o)`, o the fan-in of the softmax, but for the RNTN),
    /// `bs = 0`; the classifier's hidden layer, if any, `Wc ~ N(0, 1/o)` (fan-in o, so its
    /// tanh starts in its linear range) and `bc = 0`, drawn last so runs without it draw
    /// what they always drew.
    public func initialParameters(seed: UInt64) -> [Float] {
        var g = SplitMix64.stream(seed: seed, 0x1417)
        var p = [Float](repeating: 0, count: count)
        for i in L.range { p[i] = Float(g.normal() * 0.1) }
        config.kind.initialize(&p, layout: self, generator: &g)
        config.kind.initializeClassifier(&p, layout: self, generator: &g)
        if let Wc {
            let sd = (1 / Double(config.outputWidth)).squareRoot()
            for i in Wc.range { p[i] = Float(g.normal() * sd) }
        }
        return p
    }
}
