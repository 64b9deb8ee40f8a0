extension SentimentTask {
    /// The dev score that picks `best`: fine root for the 5 classes; for the binary task its
    /// own measure, binary root (P(positive) vs P(negative) at the root), as Tai et al. select.
    public func selectionScore(_ m: Metrics) -> Double { self == .fine ? m.fineRoot : m.binaryRoot }

    /// `selectionScore` of a logged evaluation, at an epoch's end or inside one.
    public func selectionScore(_ e: some DevFigures) -> Double { self == .fine ? e.fineRoot : e.binaryRoot }
}
