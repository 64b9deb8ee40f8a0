/// One line of text being typed, with a cursor: the probe, learning-rate and search inputs
/// all edit through it, so the same keys do the same thing in each (readline's and the
/// shell's: Ctrl-A/E, Ctrl-U/W/K, the arrows, Up/Down for history).
///
/// A pure value: `handle` returns what the key means for the input as a whole (submit,
/// cancel), and the caller decides what that does.
public struct LineEditor: Equatable, Sendable, ExpressibleByStringLiteral {
    public private(set) var characters: [Character]
    /// Insertion point, 0…count (count: after the last character).
    public private(set) var cursor: Int
    /// The history entry shown after Up (nil: the line being typed).
    var browsing: Int? = nil
    /// The line being typed, kept while Up/Down show history entries.
    var draft: [Character]? = nil

    public var text: String { String(characters) }

    /// A line holding `text`, the cursor after it.
    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// What a key did.
    public enum Outcome: Equatable, Sendable {
        /// The text or the cursor may have changed.
        case edited
        /// Enter: the caller acts on `text`.
        case submit
        /// Esc.
        case cancel
    }

    /// Applies a key. `limit` caps the length typing can reach; `history` is the inputs of
    /// this kind already given, oldest first.
    public mutating func handle(_ key: Key, limit: Int = .max, history: [String] = []) -> Outcome {
        switch key {
        case .enter: return .submit
        case .escape: return .cancel
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .char("\u{01}"): cursor = 0
        case .end, .char("\u{05}"): cursor = characters.count
        case .backspace:
            guard cursor > 0 else { break }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .char("\u{15}"):  // Ctrl-U
            characters.removeSubrange(0 ..< cursor)
            cursor = 0
        case .char("\u{0B}"):  // Ctrl-K
            characters.removeSubrange(cursor...)
        case .char("\u{17}"):  // Ctrl-W: the word before the cursor and the spaces after it
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start ..< cursor)
            cursor = start
        case .up: recall(history, delta: -1)
        case .down: recall(history, delta: 1)
        case .char(let c) where !c.isNewline && characters.count < limit:
            // Other control characters go in as typed: the input's own rules refuse them
            // with a message naming them, rather than their vanishing without a word.
            characters.insert(c, at: cursor)
            cursor += 1
        default: break
        }
        return .edited
    }

    /// Up (-1) / Down (+1) through `history`; below its newest entry is the draft again.
    mutating func recall(_ history: [String], delta: Int) {
        guard !history.isEmpty else { return }
        let here = browsing ?? history.count
        let next = max(0, min(history.count, here + delta))
        guard next != here else { return }
        if browsing == nil { draft = characters }
        if next == history.count {
            characters = draft ?? []
            browsing = nil
            draft = nil
        } else {
            characters = Array(history[next])
            browsing = next
        }
        cursor = characters.count
    }
}

/// The inputs given in this session, per kind of input, for Up / Down.
public struct InputHistory: Sendable {
    public var probes: [String] = []
    public var learningRates: [String] = []
    public var searches: [String] = []

    public init() {}

    /// Appends `text` unless it is blank or repeats the newest entry (as shells do).
    static func remember(_ text: String, in list: inout [String]) {
        guard !text.allSatisfy(\.isWhitespace), list.last != text else { return }
        list.append(text)
    }
}
