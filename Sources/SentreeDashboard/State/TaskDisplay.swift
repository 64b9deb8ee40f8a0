import SentreeCore

/// The dashboard draws every class on SST's 5-class scale (its colours, symbols and digits):
/// a binary-task model's negative, neutral and positive show as SST's 1, 2 and 3
/// (`SentimentTask.displayClass`), so its trees read like a fine model's. These lift its
/// 3-class predictions, outcomes and gold labels onto that scale; a fine model's pass
/// unchanged.
extension SentimentTask {
    /// `prediction` on the 5-class scale: probabilities padded with zeros for the classes the
    /// model does not have.
    func shown(_ prediction: TreePrediction) -> TreePrediction {
        guard self == .binary else { return prediction }
        return TreePrediction(
            probabilities: prediction.probabilities.map { [0] + $0 + [0] },
            predicted: prediction.predicted.map(displayClass))
    }

    /// `outcome` with its gold and predicted roots on the 5-class scale.
    func shown(_ outcome: TreeOutcome) -> TreeOutcome {
        guard self == .binary else { return outcome }
        return TreeOutcome(
            tree: outcome.tree, goldRoot: displayClass(outcome.goldRoot),
            predictedRoot: displayClass(outcome.predictedRoot), loss: outcome.loss)
    }

    /// `treebank` (as `prepare` made it) with its gold labels on the 5-class scale.
    func shown(_ treebank: Treebank) -> Treebank {
        guard self == .binary else { return treebank }
        var shown = treebank
        shown.labels = treebank.labels.map(displayClass)
        return shown
    }

    /// The task of a model with `classes` classes (`.fine` for any count no task has).
    static func of(classes: Int) -> SentimentTask { SentimentTask(classes: classes) ?? .fine }
}

extension ModelSnapshot {
    /// `predict` on the dashboard's 5-class scale (see `SentimentTask.shown`).
    func shownPrediction(tree t: Int, in treebank: Treebank, wordIDs: [Int32]) -> TreePrediction {
        SentimentTask.of(classes: layout.config.classes)
            .shown(predict(tree: t, in: treebank, wordIDs: wordIDs))
    }
}
