import SentreeCore

/// Each panel's input, read off the state: the one place that knows both, so that a panel
/// depends only on what it draws and can be rendered (and tested) alone.
extension DashboardState {
    var headerInput: HeaderInput {
        HeaderInput(
            config: setup.config, embeddings: setup.embeddings, runDirectory: setup.runDirectory,
            stepsPerEpoch: setup.stepsPerEpoch, startEpoch: setup.startEpoch, trainer: trainer,
            writeFailure: writeFailure, epoch: epoch, stepInEpoch: stepInEpoch, progress: progress,
            treesPerSecond: treesPerSecond, learningRate: learningRate, elapsed: elapsed,
            saveSeconds: saveSeconds, stoppedEarly: stoppedEarly)
    }

    var statusBarInput: StatusBarInput {
        StatusBarInput(
            input: input, probeInput: views.probeInput, hasProbes: !views.probes.isEmpty,
            message: message, messageIsError: messageIsError, quitting: quitting,
            viewOnly: compare?.viewOnly == true, paused: trainer == .paused)
    }

    var helpOverlayInput: HelpOverlayInput {
        HelpOverlayInput(viewOnly: compare?.viewOnly == true, scroll: views.helpScroll)
    }

    var lossPanelInput: LossPanelInput {
        LossPanelInput(
            loss: loss, logScale: logScale, epochEnds: epochEnds, step: step,
            focused: focus == .loss)
    }

    var accuracyPanelInput: AccuracyPanelInput {
        AccuracyPanelInput(
            epochs: epochs, best: bestPosition, focused: focus == .accuracy,
            argmax: argmaxLabel(setup.config.sentimentTask))
    }

    var confusionPanelInput: ConfusionPanelInput {
        ConfusionPanelInput(
            metrics: views.metrics, evaluatedStep: evaluatedStep,
            allNodes: views.accuracy == .confusionNodes, focused: focus == .accuracy)
    }

    /// The picked run's matrices, or in the `.difference` view how they differ from the
    /// reference run's (the same pair as the disagreement filter's).
    func compareConfusionInput(_ c: CompareState) -> ConfusionPanelInput {
        let runs = comparedRuns
        let picked = runs[min(c.cursor, runs.count - 1)]
        // The runs' key letters (as in the legend) and names short enough to leave room.
        let labels = zip(runs.indices, runLabels(runs.map(\.name), width: 14, ellipsis: "…")).map {
            "\(SeriesMark.letter($0)) \($1)"
        }
        var input = ConfusionPanelInput(
            metrics: picked.metrics, allNodes: views.accuracy == .confusionNodes, focused: focus == .accuracy,
            run: labels[min(c.cursor, runs.count - 1)])
        if views.accuracy == .difference, let pair = disagreementPair {
            input.run = labels[pair.picked]
            input.reference = (labels[pair.reference], runs[pair.reference].metrics)
        }
        input.next = views.accuracy == .difference || disagreementPair == nil ? "length" : "change"
        return input
    }

    var lengthPanelInput: LengthPanelInput {
        LengthPanelInput(
            metrics: views.metrics, evaluatedStep: evaluatedStep, focused: focus == .accuracy,
            argmax: argmaxLabel(setup.config.sentimentTask))
    }

    var browserPanelInput: BrowserPanelInput {
        let pair = compare?.disagreeOnly == true ? disagreementPair : nil
        let reference = pair.map { (run: $0.reference, outcomes: comparedRuns[$0.reference].outcomes) }
        return BrowserPanelInput(
            dev: setup.dev, rows: browserRows, outcomes: outcomes,
            selectedTree: selectedTree, cursor: browserCursor, wrongOnly: wrongOnly,
            sortByLoss: sortByLoss, search: search, reference: reference,
            focused: focus == .browser)
    }

    var treeAreaInput: TreeAreaInput {
        if views.shownProbe != nil, !views.probes.isEmpty {
            return .probe(
                ProbePanelInput(
                    probes: views.probes, shown: views.shownProbe ?? 0,
                    drawing: views.drawing, scroll: treeScroll,
                    focused: focus == .tree, parserProgress: views.parserProgress))
        }
        return .devTree(
            TreePanelInput(
                dev: setup.dev, selectedTree: selectedTree, prediction: prediction,
                predictionStep: predictionStep, drawing: views.drawing,
                scroll: treeScroll, focused: focus == .tree))
    }

    func viewHeaderInput(_ c: CompareState) -> ViewHeaderInput {
        ViewHeaderInput(runs: c.runs, picked: c.cursor)
    }

    func runsPanelInput(_ c: CompareState) -> RunsPanelInput {
        RunsPanelInput(
            runs: comparedRuns, hidden: c.hidden, cursor: c.cursor, viewOnly: c.viewOnly,
            checkpoint: c.checkpoint, disagreement: c.disagreeOnly ? disagreementPair : nil,
            focused: focus == .runs, ensemble: c.ensemble)
    }

    func overlayRuns(_ c: CompareState) -> OverlayRuns {
        let live = LiveLoss(
            loss: loss, stepsPerEpoch: setup.stepsPerEpoch, startEpoch: setup.startEpoch,
            elapsed: elapsed)
        return OverlayRuns(
            runs: comparedRuns, hidden: c.hidden, picked: c.cursor,
            alignByTime: c.alignByTime, live: live)
    }

    func compareLossInput(_ c: CompareState) -> CompareLossInput {
        CompareLossInput(
            overlay: overlayRuns(c), viewOnly: c.viewOnly, logScale: logScale,
            focused: focus == .loss)
    }

    func compareAccuracyInput(_ c: CompareState) -> CompareAccuracyInput {
        CompareAccuracyInput(overlay: overlayRuns(c), metric: c.metric, focused: focus == .accuracy)
    }

    func compareLengthsInput(_ c: CompareState) -> CompareLengthsInput {
        CompareLengthsInput(
            runs: comparedRuns, hidden: c.hidden, viewOnly: c.viewOnly,
            checkpoint: c.checkpoint, focused: focus == .accuracy)
    }
}
