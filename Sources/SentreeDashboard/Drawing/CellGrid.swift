import SentreeCore

/// What a cell looks like, independent of the terminal's color support.
public enum Tone: Hashable, Sendable {
    case normal, dim, bold, accent, warning, error, good
    /// Sentiment class 0…4 (very negative … very positive).
    case sentiment(Int)
    /// A background shade 0…4 (none … strongest), for heat-map cells.
    case shade(Int)
    /// The colour of the k-th compared run (`SeriesMark.tones` of them, then they repeat).
    case series(Int)
}

/// Style of one cell: a tone plus reverse video (for selections and bars).
public struct CellStyle: Equatable, Sendable {
    public var tone: Tone = .normal
    public var reverse = false
    public init(_ tone: Tone = .normal, reverse: Bool = false) {
        self.tone = tone
        self.reverse = reverse
    }
}

/// A rectangle of characters with styles: what `render` returns and the backend draws.
///
/// Every cell holds exactly one character of display width 1; text is clipped, never
/// wrapped, so a panel can never spill into its neighbour.
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var characters: [Character]
    public private(set) var styles: [CellStyle]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        characters = Array(repeating: " ", count: self.width * self.height)
        styles = Array(repeating: CellStyle(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Character { characters[y * width + x] }
    public func style(x: Int, y: Int) -> CellStyle { styles[y * width + x] }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns and the grid; returns columns used.
    ///
    /// Text passes through `TerminalText.sanitized` first: phrases, search text and paths
    /// come from files and users, and a control character would desynchronise the terminal.
    /// Text longer than `maxWidth` (a field's edge, unlike the grid's, where rules and fills
    /// simply stop) is cut by `fit`, so the cut shows.
    @discardableResult
    public mutating func put(
        _ text: String, x: Int, y: Int, style: CellStyle = CellStyle(), maxWidth: Int? = nil
    ) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        var text = TerminalText.sanitized(text)
        if maxWidth != nil { text = fit(text, width: limit - x) }
        for ch in text {
            guard column < limit else { break }
            if column >= 0 {
                characters[y * width + column] = ch
                styles[y * width + column] = style
            }
            column += 1
        }
        return max(0, column - x)
    }

    /// Sets the style of a horizontal run of cells without changing their text.
    public mutating func restyle(x: Int, y: Int, length: Int, style: CellStyle) {
        guard y >= 0, y < height else { return }
        for column in max(0, x) ..< min(width, x + length) { styles[y * width + column] = style }
    }

    /// Fills a rectangle with a character.
    public mutating func fill(
        x: Int, y: Int, width w: Int, height h: Int, with ch: Character = " ", style: CellStyle = CellStyle()
    ) {
        for row in max(0, y) ..< min(height, y + h) {
            for column in max(0, x) ..< min(width, x + w) {
                characters[row * width + column] = ch
                styles[row * width + column] = style
            }
        }
    }

    /// Replaces every non-ASCII character with an ASCII stand-in, for terminals without a
    /// UTF-8 locale (ncurses would otherwise emit bytes they cannot show).
    public mutating func makeASCII() {
        let replacements: [Character: Character] = [
            "…": "~", "·": ".", "×": "x", "÷": "/", "↑": "^", "↓": "v", "→": ">", "←": "<",
            "─": "-", "│": "|", "✓": "+", "✗": "x", "▶": ">", "┴": "|", "━": "=", "é": "e", "è": "e",
            "á": "a", "à": "a", "ó": "o", "ö": "o", "ü": "u", "í": "i", "ñ": "n", "ç": "c", "\u{00A0}": " ",
        ]
        for i in characters.indices where !characters[i].isASCII {
            characters[i] = replacements[characters[i]] ?? "?"
        }
    }

    /// Row `y` as a string (trailing spaces kept), for tests and text captures.
    public func line(_ y: Int) -> String { String(characters[(y * width) ..< ((y + 1) * width)]) }

    /// The whole grid as text, one line per row, trailing spaces trimmed.
    public var text: String {
        (0 ..< height).map { String(line($0).reversed().drop { $0 == " " }.reversed()) }.joined(
            separator: "\n")
    }
}
