import SentreeCore
for kind in ModelKind.allCases {
    for (d, m) in [(7, 6), (18, 17)] {
        let r = GradientCheck.run(kind: kind, dim: d, middle: m)
        print(kind, d, m, r.tensors.map { "\($0.name)=\($0.maxRelativeError)" }.joined(separator: " "), r.passed)
    }
}
