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
