import SentreeCore

extension DashboardState {
    /// Whether a shown probe has the fixed rule's tree, which a parser would replace.
    var hasApproximateProbes: Bool { views.probes.contains { $0.probe.approximate } }

    /// Folds the background parser's status into the state: its progress while it trains,
    /// and once trained, the parser for every later probe and a new tree for each
    /// approximate one (its predictions start over, as they were made on another tree).
    mutating func apply(parserStatus status: ParserTrainingJob.Status) {
        switch status {
        case .waiting:
            views.parserProgress = nil
        case .training(let fraction, _, _):
            views.parserProgress = fraction
        case .failed(let reason):
            guard setup.parserJob != nil else { return }
            setup.parserJob = nil
            views.parserProgress = nil
            message = "could not train a parser, probes keep the approximate tree: \(reason)"
            messageIsError = true
        case .finished(let parser, let cacheError):
            guard setup.parserJob != nil else { return }
            setup.parserJob = nil
            views.parserProgress = nil
            let sentences = ParsedSentences(parser: parser)
            setup.sentences = sentences
            var reparsed = 0
            for k in views.probes.indices where views.probes[k].probe.approximate {
                let text = views.probes[k].probe.text
                guard let probe = try? Probe(parsing: text, source: "probe", sentences: sentences) else {
                    continue
                }
                views.probes[k] = ProbeView(probe, vocabulary: setup.vocabulary)
                reparsed += 1
            }
            let f1 = parser.devF1.map { " (dev F1 " + String(format: "%.1f", $0) + ")" } ?? ""
            message =
                "parser trained\(f1): \(reparsed) probe\(reparsed == 1 ? "" : "s") re-parsed"
                + (cacheError.map { "; not cached: \($0)" } ?? "")
            messageIsError = cacheError != nil
        }
    }
}

extension Dashboard {
    /// Starts the background parser once an approximate probe needs it, and folds its status
    /// into the state (the one side effect the pure state leaves to the loop). Returns
    /// whether anything shown changed: its progress, or its end.
    @discardableResult
    static func pollParser(_ state: inout DashboardState) -> Bool {
        guard let job = state.setup.parserJob else { return false }
        if case .waiting = job.status, state.hasApproximateProbes { job.start() }
        let before = state.views.parserProgress.map { Int($0 * 100) }
        state.apply(parserStatus: job.status)
        return state.setup.parserJob == nil || state.views.parserProgress.map { Int($0 * 100) } != before
    }
}
