import Foundation
import SentreeCore

/// A probe as the dashboard shows it: its words, its latest predictions and how its root
/// prediction moved from epoch to epoch.
public struct ProbeView: Sendable {
    public var probe: Probe
    /// Leaf word ids (0, `<unk>`, for words the run's vocabulary lacks).
    public var wordIDs: [Int32]
    public var unknownWords: Int
    public var prediction: TreePrediction? = nil
    /// Step of the snapshot `prediction` comes from.
    public var predictionStep: Int? = nil
    /// The root's predicted class after each epoch (the newest snapshot of that epoch).
    public var history: [RootPrediction] = []
    /// In `sentree view`, the run whose vocabulary `wordIDs` come from (runs differ).
    public var encodedFor: String? = nil

    /// One entry of `history`.
    public struct RootPrediction: Equatable, Sendable {
        public var epoch: Int
        public var root: Int
    }

    public init(_ probe: Probe, vocabulary: Vocabulary?) {
        self.probe = probe
        let tb = probe.treebank
        let ids = vocabulary.map { probe.wordIDs($0) } ?? tb.left.map { $0 < 0 ? 0 : -1 }
        wordIDs = ids
        unknownWords = tb.nodes(of: 0).filter { tb.left[$0] < 0 && ids[$0] == 0 }.count
    }

    /// Predicts the probe with `snapshot` unless that snapshot was used already.
    mutating func update(from snapshot: ModelSnapshot) {
        guard predictionStep != snapshot.step else { return }
        let p = snapshot.shownPrediction(tree: 0, in: probe.treebank, wordIDs: wordIDs)
        prediction = p
        predictionStep = snapshot.step
        let root = Int(p.predicted.last ?? 0)
        if history.last?.epoch == snapshot.epoch { history.removeLast() }
        history.append(RootPrediction(epoch: snapshot.epoch, root: root))
    }
}

/// Longest probe the input line takes, in characters.
let maximumProbeLength = 500

extension DashboardState {
    /// Predicts every probe with the newest snapshot (cheap: one small tree each).
    public mutating func updateProbes(from snapshot: ModelSnapshot) {
        for k in views.probes.indices { views.probes[k].update(from: snapshot) }
    }

    /// Edits the probe input line (`i`); Enter parses the text and adds the probe.
    mutating func editProbe(_ line: LineEditor, _ key: Key) -> [Command] {
        var line = line
        switch line.handle(key, limit: maximumProbeLength, history: views.history.probes) {
        case .cancel:
            views.probeInput = nil
        case .edited:
            views.probeInput = line
        case .submit where line.text.trimmingCharacters(in: .whitespaces).isEmpty && !views.probes.isEmpty:
            // An empty line is the way back to the probes after browsing dev trees.
            views.probeInput = nil
            showProbe(views.probes.count - 1)
        case .submit:
            return addProbe(line.text)
        }
        return []
    }

    /// Parses `text` as a probe and shows it; a bad text keeps the line open with the error.
    mutating func addProbe(_ text: String) -> [Command] {
        let probe: Probe
        do {
            probe = try Probe(parsing: text, source: "probe", sentences: setup.sentences)
        } catch {
            message = "\(error)"
            messageIsError = true
            return []
        }
        views.probeInput = nil
        InputHistory.remember(text, in: &views.history.probes)
        if let existing = views.probes.firstIndex(where: { $0.probe.text == probe.text }) {
            showProbe(existing)
            message = "already a probe; shown"
            messageIsError = false
            return []
        }
        views.probes.append(ProbeView(probe, vocabulary: setup.vocabulary))
        showProbe(views.probes.count - 1)
        let unknown = views.probes[views.probes.count - 1].unknownWords
        let words = "\(unknown) word\(unknown == 1 ? "" : "s")"
        var note = "probe added" + (unknown > 0 ? "; \(words) not in the vocabulary read as <unk>" : "")
        if probe.approximate {
            // Said when it matters: the tree on screen is the fixed rule's, not a parse.
            note +=
                setup.parserJob == nil
                ? "; approximate tree: no parser (`sentree parser train`, or --parser FILE)"
                : "; approximate tree until the parser training in the background is done"
        }
        message = note
        messageIsError = false
        return [.saveProbes]
    }

    /// `D` while a probe is shown: takes it out of the list (and, through `.saveProbes`,
    /// out of `RUN/probes.txt`); the next probe shows, or the dev tree after the last one.
    mutating func deleteShownProbe() -> [Command] {
        guard let k = views.shownProbe, views.probes.indices.contains(k) else {
            message = "no probe shown: D deletes the probe in the tree panel"
            messageIsError = true
            return []
        }
        let removed = views.probes.remove(at: k)
        if views.probes.isEmpty {
            showDevTree()
        } else {
            showProbe(min(k, views.probes.count - 1))
        }
        message = "probe deleted: \(removed.probe.text)"
        messageIsError = false
        return [.saveProbes]
    }

    mutating func showProbe(_ k: Int) {
        views.shownProbe = k
        treeScroll = 0
        focus = .tree
    }

    /// `n` / `N` while a probe is shown: the next or previous probe.
    mutating func showProbe(relative delta: Int) {
        guard let here = views.shownProbe, !views.probes.isEmpty else { return }
        showProbe(max(0, min(views.probes.count - 1, here + delta)))
    }

    /// Back from the probes to the selected dev tree.
    mutating func showDevTree() {
        views.shownProbe = nil
        treeScroll = 0
    }
}
