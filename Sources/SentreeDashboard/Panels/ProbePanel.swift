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
        let p = snapshot.predict(tree: 0, in: probe.treebank, wordIDs: wordIDs)
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
    mutating func editProbe(_ text: String, _ key: Key) -> [Command] {
        switch key {
        case .escape:
            views.probeInput = nil
            message = nil
        case .backspace:
            views.probeInput = String(text.dropLast())
        case .enter where text.trimmingCharacters(in: .whitespaces).isEmpty && !views.probes.isEmpty:
            // An empty line is the way back to the probes after browsing dev trees.
            views.probeInput = nil
            showProbe(views.probes.count - 1)
        case .enter:
            return addProbe(text)
        case .char(let c) where text.count < maximumProbeLength && !c.isNewline:
            views.probeInput = text + String(c)
        default: break
        }
        return []
    }

    /// Parses `text` as a probe and shows it; a bad text keeps the line open with the error.
    mutating func addProbe(_ text: String) -> [Command] {
        let probe: Probe
        do {
            probe = try Probe(parsing: text, source: "probe")
        } catch {
            message = "\(error)"
            messageIsError = true
            return []
        }
        views.probeInput = nil
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
        message = "probe added" + (unknown > 0 ? "; \(words) not in the vocabulary read as <unk>" : "")
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

/// The status line while a probe is typed.
func renderProbeInput(_ text: String, _ s: DashboardState, _ grid: inout CellGrid, y: Int) {
    let style = CellStyle(.normal, reverse: true)
    let prompt = " probe (sentence or tree): "
    let help = s.views.probes.isEmpty ? "   Enter add · Esc cancel" : "   Enter add (empty: show probes) · Esc cancel"
    // The end of a long text stays visible, as in a shell.
    let room = max(10, grid.width - prompt.count - help.count - 1)
    let shown = text.count > room ? "…" + text.suffix(room - 1) : text
    var x = grid.put(prompt + shown + "_", x: 0, y: y, style: style)
    x += grid.put(help, x: x, y: y, style: style)
    if let m = s.message, s.messageIsError {
        grid.put("  " + m, x: x, y: y, style: CellStyle(.error, reverse: true))
    }
}

/// The tree panel with a probe shown: its tree over the list of probes.
func renderProbeArea(_ s: DashboardState, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    let list = probeListRect(s, r)
    let treeRect = Rect(x: r.x, y: r.y, width: r.width, height: r.height - list.height)
    let k = min(s.views.shownProbe ?? 0, s.views.probes.count - 1)
    let probe = s.views.probes[k]
    let body = treeBody(probe.probe.treebank, tree: 0, prediction: probe.prediction, drawing: s.views.drawing,
                        width: r.width, options)
    let visible = treeRect.height - 1
    let scroll = max(0, min(s.treeScroll, body.rows - visible))
    var detail = "probe \(k + 1)/\(s.views.probes.count)"
    let tb = probe.probe.treebank, gold = tb.labels[tb.nodeCount - 1]
    if gold != Treebank.unlabeled { detail += "  gold \(gold)" }
    if let root = probe.prediction?.predicted.last {
        let verdict = root == gold ? (options.unicode ? "✓" : "ok") : (options.unicode ? "✗" : "X")
        detail += gold == Treebank.unlabeled ? "  pred \(root)" : " pred \(root) \(verdict)"
    }
    // After the prediction, and short in a narrow panel, so the prediction is never cut off.
    if probe.probe.approximate { detail += treeRect.width >= 60 ? "  approximate structure" : "  approx. tree" }
    if probe.unknownWords > 0 { detail += "  \(probe.unknownWords) <unk>" }
    if let note = body.note { detail += "  \(note)" }
    if body.rows > visible { detail += "  lines \(scroll + 1)-\(min(body.rows, scroll + visible)) of \(body.rows)" }
    if let step = probe.predictionStep, treeRect.width > 70 { detail += "  (model at step \(step))" }
    renderTitle("tree", detail: detail, focused: s.focus == .tree, &grid, treeRect, options)
    if probe.prediction == nil && body.rows < visible {
        grid.put("predictions appear with the first parameter snapshot", x: r.x + 1, y: r.y + 1 + body.rows,
                 style: CellStyle(.dim), maxWidth: r.width - 1)
    }
    body.draw(&grid, Rect(x: r.x, y: r.y + 1, width: r.width, height: visible), scroll)
    renderProbeList(s, &grid, list, options)
}

/// Where the probe list sits in the tree panel `r`: its bottom rows, a title and up to a
/// third of the panel.
func probeListRect(_ s: DashboardState, _ r: Rect) -> Rect {
    let height = min(s.views.probes.count, max(1, (r.height - 4) / 3)) + 1
    return Rect(x: r.x, y: r.y + r.height - height, width: r.width, height: height)
}

/// The probe list: per probe its current root prediction, the root after each epoch
/// (oldest first), and its text; the shown one marked.
func renderProbeList(_ s: DashboardState, _ grid: inout CellGrid, _ r: Rect, _ options: RenderOptions) {
    renderTitle("probes", detail: "root by epoch  n/N next  i add", focused: false,
                &grid, Rect(x: r.x, y: r.y, width: r.width, height: 1), options)
    let shown = s.views.shownProbe ?? 0
    let visible = r.height - 1
    let start = listWindowStart(cursor: shown, count: s.views.probes.count, visible: visible)
    let historyWidth = min(24, max(6, r.width / 4))
    for (row, probe) in s.views.probes.dropFirst(start).prefix(visible).enumerated() {
        let k = start + row, y = r.y + 1 + row
        var x = r.x
        x += grid.put(k == shown ? (options.unicode ? "▶" : ">") : " ", x: x, y: y, style: CellStyle(.accent))
        if let root = probe.prediction?.predicted.last.map(Int.init) {
            x += grid.put("\(root)\(Sentiment.symbols[root])", x: x, y: y,
                          style: CellStyle(.sentiment(root), reverse: true))
        } else {
            x += grid.put("?  ", x: x, y: y, style: CellStyle(.dim))
        }
        x += 1
        // Each epoch's root as one coloured digit: a flip shows as a change of digit and color.
        let history = probe.history.suffix(historyWidth)
        for entry in history {
            x += grid.put("\(entry.root)", x: x, y: y, style: CellStyle(.sentiment(entry.root)))
        }
        x += historyWidth - history.count + 1
        let text = probe.probe.approximate ? probe.probe.text : probe.probe.treebank.sentence(tree: 0)
        grid.put(text, x: x, y: y, maxWidth: r.x + r.width - x)
    }
}
