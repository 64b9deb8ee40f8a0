/// The five sentiment classes: names, symbols that work without color, and colors.
///
/// Colors follow ColorBrewer's 5-class RdBu, a diverging scheme that stays distinguishable
/// for the common forms of color blindness (red-blue, never red-green). Each class also
/// has its own symbol, so `NO_COLOR` and monochrome terminals lose nothing.
public enum Sentiment {
    public static let names = ["very negative", "negative", "neutral", "positive", "very positive"]
    public static let shortNames = ["v.neg", "neg", "neu", "pos", "v.pos"]
    /// Text marks: distinct without color.
    public static let symbols = ["--", "- ", "o ", "+ ", "++"]
    /// xterm-256 indices approximating RdBu-5: #ca0020 #f4a582 #bababa #92c5de #0571b0.
    public static let colors256: [Int32] = [160, 216, 250, 110, 25]
    /// 8/16-color fallback: red, yellow (light warm), white, cyan (light cool), blue.
    public static let colors8: [Int32] = [1, 3, 7, 6, 4]
}

/// How the k-th compared run is told apart: a colour, a marker glyph and a letter, so runs
/// stay distinguishable without colour (`NO_COLOR`) and without Unicode (letters only).
enum SeriesMark {
    static let glyphs: [Character] = ["●", "■", "▲", "◆", "★", "✚"]
    /// Colours in the terminal's 256-color and 8-color palettes; `Terminal` defines a pair each.
    static let colors256: [Int32] = [75, 214, 71, 170, 44, 203]
    static let colors8: [Int32] = [6, 3, 2, 5, 4, 1]

    static func tone(_ k: Int) -> Tone { .series(k % colors256.count) }
    static func letter(_ k: Int) -> Character { Character(Unicode.Scalar(UInt8(65 + k % 26))) }
    /// The point marker in charts: the glyph, or the letter without Unicode.
    static func marker(_ k: Int, unicode: Bool) -> Character {
        unicode && k < glyphs.count ? glyphs[k] : letter(k)
    }
    /// The legend key: glyph and letter (`●A`), or the letter alone without Unicode.
    static func key(_ k: Int, unicode: Bool) -> String {
        unicode && k < glyphs.count ? "\(glyphs[k])\(letter(k))" : " \(letter(k))"
    }
}
