import Foundation
import SentreeCore

/// A key press, decoupled from ncurses codes so key handling is testable.
public enum Key: Equatable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, backspace, escape
    /// A click or a wheel turn at a screen cell (see Mouse.swift).
    case mouse(MouseEvent)
}

/// What a key asks of the trainer or the app.
public enum Command: Equatable, Sendable {
    case pause, resume
    case setLearningRate(Double)
    case evaluate, save
    /// Add epochs to the run, also once it is done (`x`).
    case extend(Int)
    /// Stop training (saving `last`) and leave once it has stopped.
    case quit
    /// The probe list changed: the app writes `RUN/probes.txt`.
    case saveProbes
}

extension Command {
    /// Passes the command to the trainer; for `.quit` that is `stop()`, and leaving once it
    /// has stopped is the caller's part.
    func send(to control: any TrainerControl) {
        switch self {
        case .pause: control.pause()
        case .resume: control.resume()
        case .setLearningRate(let rate): control.setLearningRate(rate)
        case .evaluate: control.evaluateNow()
        case .save: control.saveNow()
        case .extend(let epochs): control.extend(by: epochs)
        case .quit: control.stop()
        case .saveProbes: break
        }
    }
}

/// The learning-rate step of `+` and `-`.
let learningRateFactor = 1.5

extension DashboardState {
    /// Applies a key press; returns what the trainer or app must do.
    public mutating func handle(_ key: Key) -> [Command] {
        // The user acted: what the last message said has been read (or was about the
        // previous key), and the key hints it covers come back.
        message = nil
        messageIsError = false
        if case .mouse(let event) = key { return handleMouse(event) }
        if let line = views.probeInput { return editProbe(line, key) }
        switch input {
        case .learningRate(let line): return editLearningRate(line, key)
        case .search(let line): editSearch(line, key); return []
        case .confirmQuit:
            input = .none
            if key == .char("y") || key == .char("Y") || key == .char("q") { return quit() }
            message = "quit cancelled"
            messageIsError = false
            return []
        case .none: break
        }
        if showHelp {
            if scrollHelp(key) { return [] }
            showHelp = false
            if key == .char("?") || key == .escape || key == .char("q") { return [] }
        }
        if let commands = handleCompareKey(key) { return commands }
        if let commands = handleTrainingKeyAfterTheEnd(key) { return commands }
        switch key {
        case .char(" "), .char("p"):
            guard isTraining else { return [] }
            return [trainer == .paused ? .resume : .pause]
        case .char("+"), .char("="):
            return [.setLearningRate(learningRate * learningRateFactor)]
        case .char("-"), .char("_"):
            return [.setLearningRate(learningRate / learningRateFactor)]
        case .char("l"):
            input = .learningRate(LineEditor())
        case .char("e"): return [.evaluate]
        case .char("s"): return [.save]
        case .char("x"):
            message = "adding \(extensionEpochs) epochs"
            messageIsError = false
            return [.extend(extensionEpochs)]
        case .char("/"):
            input = .search(LineEditor(search))
            views.searchBeforeEdit = search
            focus = .browser
        case .char("w"):
            wrongOnly.toggle()
            browserCursor = 0
        case .char("o"):
            sortByLoss.toggle()
            browserCursor = 0
        case .char("g"):
            logScale.toggle()
        case .char("c"):
            cycleAccuracyView()
        case .char("t"):
            views.drawing = views.drawing == .indented ? .topDown : .indented
            treeScroll = 0
        case .char("i"):
            views.probeInput = LineEditor()
        case .char("["):
            loss.setSmoothing(max(0, ((loss.smoothing - 0.05) * 100).rounded() / 100))
        case .char("]"):
            loss.setSmoothing(min(0.99, ((loss.smoothing + 0.05) * 100).rounded() / 100))
        case .char("?"):
            showHelp = true
            views.helpScroll = 0
        case .tab:
            focus = nextFocus(1)
        case .backTab:
            focus = nextFocus(-1)
        case .char("D"): return deleteShownProbe()
        case .char("n"): views.shownProbe == nil ? openRelative(1) : showProbe(relative: 1)
        case .char("N"): views.shownProbe == nil ? openRelative(-1) : showProbe(relative: -1)
        case .enter:
            if focus == .browser {
                if views.shownProbe != nil { showDevTree() }
                openCursor()
            }
        case .up, .char("k"): move(-1)
        case .down, .char("j"): move(1)
        case .pageUp: move(-10)
        case .pageDown: move(10)
        case .home: move(-1_000_000)
        case .end: move(1_000_000)
        case .char("q"), .char("Q"):
            if isTraining {
                input = .confirmQuit
                return []
            }
            return quit()
        case .escape:
            message = nil
        default: break
        }
        return []
    }

    mutating func quit() -> [Command] {
        quitting = true
        return [.quit]
    }

    /// Moves the cursor of the focused panel.
    mutating func move(_ delta: Int) {
        switch focus {
        case .browser:
            let count = browserRows.count
            browserCursor = max(0, min(count - 1, browserCursor + delta))
        case .tree:
            treeScroll = max(0, treeScroll + delta)
        default:
            break
        }
    }

    /// Opens the tree under the browser cursor in the tree view.
    mutating func openCursor() {
        let rows = browserRows
        guard browserCursor < rows.count else { return }
        select(tree: rows[browserCursor])
    }

    /// Opens the next (or previous) tree in browser order.
    mutating func openRelative(_ delta: Int) {
        let rows = browserRows
        guard !rows.isEmpty else { return }
        let here = rows.firstIndex(of: selectedTree) ?? (delta > 0 ? -1 : rows.count)
        let next = max(0, min(rows.count - 1, here + delta))
        browserCursor = next
        select(tree: rows[next])
    }

    mutating func select(tree t: Int) {
        guard t != selectedTree || prediction == nil else { return }
        selectedTree = t
        treeScroll = 0
        prediction = nil
        predictionStep = nil
    }

    mutating func editLearningRate(_ line: LineEditor, _ key: Key) -> [Command] {
        var line = line
        switch line.handle(key, limit: 24, history: views.history.learningRates) {
        case .cancel:
            input = .none
        case .edited:
            input = .learningRate(line)
        case .submit:
            let text = line.text
            guard let rate = DecimalFloat.decimal(text.trimmingCharacters(in: .whitespaces)), rate > 0,
                rate.isFinite
            else {
                message = "'\(text)' is not a learning rate: type a positive number such as 0.01"
                messageIsError = true
                input = .learningRate(line)
                return []
            }
            InputHistory.remember(text, in: &views.history.learningRates)
            input = .none
            message = nil
            return [.setLearningRate(rate)]
        }
        return []
    }

    /// The search line filters the browser as it is typed; Esc puts the old filter back.
    mutating func editSearch(_ line: LineEditor, _ key: Key) {
        var line = line
        switch line.handle(key, limit: 40, history: views.history.searches) {
        case .cancel:
            input = .none
            search = views.searchBeforeEdit
            browserCursor = 0
        case .edited:
            input = .search(line)
            if search != line.text {
                search = line.text
                browserCursor = 0
            }
        case .submit:
            input = .none
            search = line.text
            InputHistory.remember(search, in: &views.history.searches)
            browserCursor = 0
            message = search.isEmpty ? nil : "\(browserRows.count) trees contain '\(search)'"
            messageIsError = false
        }
    }
}

extension DashboardState {
    /// Scrolls the help overlay for movement keys; returns false for keys that close it.
    mutating func scrollHelp(_ key: Key) -> Bool {
        let layout = HelpLayout(
            width: views.screenWidth, height: views.screenHeight, viewOnly: compare?.viewOnly == true)
        let page = max(1, layout.visible - 1)
        let delta: Int
        switch key {
        case .up, .char("k"): delta = -1
        case .down, .char("j"): delta = 1
        case .pageUp: delta = -page
        case .pageDown: delta = page
        case .home: delta = -layout.rows.count
        case .end: delta = layout.rows.count
        default: return false
        }
        views.helpScroll = max(0, min(layout.maxScroll, views.helpScroll + delta))
        return true
    }
}
