extension SentimentTask {
    /// The dev score that picks `best`: fine root for the 5 classes; for the binary task its
    /// own measure, binary root (P(positive) vs P(negative) at the root), as Tai et al. select.
    public func selectionScore(_ m: Metrics) -> Double { self == .fine ? m.fineRoot : m.binaryRoot }

    /// `selectionScore` of a logged epoch.
    public func selectionScore(_ e: EpochRecord) -> Double { self == .fine ? e.fineRoot : e.binaryRoot }

    /// The epoch with the best `selectionScore`, the first of equals, as the trainer keeps `best`.
    public func best(of epochs: [EpochRecord]) -> EpochRecord? {
        epochs.reduce(nil) { best, e in
            best.map { selectionScore(e) > selectionScore($0) ? e : $0 } ?? e
        }
    }
}
