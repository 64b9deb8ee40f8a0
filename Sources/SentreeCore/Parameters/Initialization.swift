import RealModule

extension ParameterLayout {
    /// Fresh parameters for training, in layout order.
    ///
    /// `L ~ N(0, 0.1²)`; the model's own tensors as the model says (see its `initialize`);
    /// `U` as the model says too (`N(0, 1/o)`, o the fan-in of the softmax, but for the RNTN),
    /// `bs = 0`.
    public func initialParameters(seed: UInt64) -> [Float] {
        var g = SplitMix64.stream(seed: seed, 0x1417)
        var p = [Float](repeating: 0, count: count)
        for i in L.range { p[i] = Float(g.normal() * 0.1) }
        config.kind.initialize(&p, layout: self, generator: &g)
        config.kind.initializeClassifier(&p, layout: self, generator: &g)
        return p
    }
}
