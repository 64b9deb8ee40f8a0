extension SentimentTask {
    /// The dev score that picks `best`: fine root for the 5 classes; for the binary task its
    /// own measure, binary root (P(positive) vs P(negative) at the root), as Tai et al. select.
    public func selectionScore(_ m: Metrics) -> Double { self == .fine ? m.fineRoot : m.binaryRoot }

    /// `selectionScore` of a logged evaluation, at an epoch's end or inside one.
    public func selectionScore(_ e: some DevFigures) -> Double { self == .fine ? e.fineRoot : e.binaryRoot }

    /// The score that picks `best` and counts as a gain, as messages name it.
    public var selectionName: String { self == .fine ? "fine root" : "binary root" }

    /// Dev figures in a line, this task's own measure first: `fine all …  fine root …  binary
    /// root …`, or for `binary` `binary root …  3-class all …  3-class root …` (never `fine`,
    /// which names the 5-class argmax).
    public func figuresLine(_ m: some DevFigures) -> String {
        let name = argmaxName
        let argmax = "\(name) all \(percent(m.fineAll))  \(name) root \(percent(m.fineRoot))"
        let binary = "binary root \(percent(m.binaryRoot))"
        return self == .fine ? "\(argmax)  \(binary)" : "\(binary)  \(argmax)"
    }
}

extension Metrics: DevFigures {}
