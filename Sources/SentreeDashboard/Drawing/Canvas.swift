/// A dot canvas drawn with braille characters (2×4 dots per cell), or one mark per cell in
/// ASCII mode. Each cell keeps the style of its highest-priority series.
struct Canvas {
    let columns: Int, rows: Int
    let unicode: Bool
    private var bits: [UInt8]
    private var priority: [Int]
    private var styles: [CellStyle]
    private var marks: [Character]

    init(columns: Int, rows: Int, unicode: Bool) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.unicode = unicode
        bits = Array(repeating: 0, count: self.columns * self.rows)
        priority = Array(repeating: -1, count: self.columns * self.rows)
        styles = Array(repeating: CellStyle(), count: self.columns * self.rows)
        marks = Array(repeating: " ", count: self.columns * self.rows)
    }

    /// Dots across and down.
    var dotWidth: Int { unicode ? columns * 2 : columns }
    var dotHeight: Int { unicode ? rows * 4 : rows }

    /// Sets the dot (x, y), y = 0 at the top; `mark` is the ASCII-mode character.
    mutating func set(_ x: Int, _ y: Int, style: CellStyle, priority p: Int, mark: Character) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cx = unicode ? x / 2 : x, cy = unicode ? y / 4 : y
        let i = cy * columns + cx
        if unicode {
            let table: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
            bits[i] |= table[x % 2][y % 4]
        }
        if p >= priority[i] {
            priority[i] = p
            styles[i] = style
            marks[i] = mark
        }
    }

    /// A vertical run of dots from y0 to y1 inclusive.
    mutating func vertical(_ x: Int, _ y0: Int, _ y1: Int, style: CellStyle, priority p: Int, mark: Character)
    {
        for y in min(y0, y1) ... max(y0, y1) { set(x, y, style: style, priority: p, mark: mark) }
    }

    /// A line through `points` (dot coordinates): each step to the right is filled column by
    /// column with vertical runs, so steep segments stay connected; a point left of the one
    /// before starts the line anew.
    mutating func polyline(_ points: [(Int, Int)], style: CellStyle, priority p: Int, mark: Character) {
        var previous: (Int, Int)? = nil
        for (x, y) in points {
            if let (px, py) = previous, x >= px {
                var lastY = py
                for xx in px ... x {
                    let yy = x == px ? y : py + (y - py) * (xx - px) / (x - px)
                    vertical(xx, lastY, yy, style: style, priority: p, mark: mark)
                    lastY = yy
                }
            } else {
                set(x, y, style: style, priority: p, mark: mark)
            }
            previous = (x, y)
        }
    }

    func draw(into grid: inout CellGrid, x: Int, y: Int) {
        for r in 0 ..< rows {
            for c in 0 ..< columns {
                let i = r * columns + c
                guard priority[i] >= 0 else { continue }
                let ch: Character = unicode ? Character(Unicode.Scalar(0x2800 + UInt32(bits[i]))!) : marks[i]
                grid.put(String(ch), x: x + c, y: y + r, style: styles[i])
            }
        }
    }
}

/// Where `v` lies between `low` and `high`, from 0 to 1 (clamped), or `nil` when the range
/// is empty or a value is not finite. Halved first, so `high - low` cannot overflow to
/// infinity when the ends are near ±Double.greatestFiniteMagnitude (inf / inf is NaN, and
/// `Int(NaN)` traps).
func fraction(_ v: Double, low: Double, high: Double) -> Double? {
    guard v.isFinite, low.isFinite, high.isFinite, high > low else { return nil }
    let f = (v / 2 - low / 2) / (high / 2 - low / 2)
    return f.isFinite ? max(0, min(1, f)) : nil
}

/// The dot (0 to `count - 1`) at fraction `f` of the way, or the middle one when unknown.
func dotIndex(_ f: Double?, count: Int) -> Int {
    guard let f, count > 1 else { return max(0, count / 2) }
    return Int((f * Double(count - 1)).rounded())
}

/// Maps a value in [low, high] to a dot row (0 = top), clamped.
func dotRow(_ v: Double, low: Double, high: Double, height: Int) -> Int {
    dotIndex(fraction(v, low: low, high: high).map { 1 - $0 }, count: height)
}

/// A short axis label: 3 significant digits.
func axisLabel(_ v: Double) -> String {
    if v == 0 { return "0" }
    if abs(v) >= 100 || abs(v) < 0.01 { return String(format: "%.1e", v) }
    return String(format: "%.3g", v)
}
