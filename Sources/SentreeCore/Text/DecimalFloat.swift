/// Correctly rounded `Float` parsing straight from UTF-8 bytes, without making a `String`.
///
/// Embeddings files hold hundreds of millions of numbers; building a `String` per number
/// would dominate the reading time.
enum DecimalFloat {
    /// The value of `text`, correctly rounded to `Float` (so `Float(description)` round-trips
    /// bit for bit), or nil if `text` is not a number. Infinities and NaN are returned, not
    /// rejected: the caller decides what a non-finite value means.
    ///
    /// Accepts what Swift's `Float(_: String)` accepts (sign, digits, point, exponent, `inf`,
    /// `nan`, hexadecimal), never leading or trailing spaces.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Float? {
        fastPath(text) ?? Float(String(decoding: text, as: UTF8.self))
    }

    /// Exact powers of ten: every one up to 1e22 is representable in a `Double`.
    private static let powersOfTen: [Double] = (0 ... 22).map { (0 ..< $0).reduce(1.0) { r, _ in r * 10 } }

    /// Clinger's fast path: when the decimal significand fits in 53 bits and |exponent| ≤ 22,
    /// one IEEE multiply or divide gives the correctly rounded `Double`.
    ///
    /// Rounding that `Double` to `Float` is then correct too, unless it lands exactly halfway
    /// between two floats (where the second rounding could go the wrong way) or outside the
    /// normal float range: those cases, and unusual syntax, return nil for the slow path.
    private static func fastPath(_ p: UnsafeBufferPointer<UInt8>) -> Float? {
        let n = p.count
        var i = 0
        var negative = false
        if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        var significand: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        var inFraction = false
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: ".") && !inFraction {
                inFraction = true
            } else if b &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                if significantDigits == 18 { return nil }
                significand = significand * 10 + UInt64(b &- UInt8(ascii: "0"))
                if significand != 0 { significantDigits += 1 }
                if inFraction { exponent -= 1 }
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            let digitsFrom = i
            while i < n, p[i] &- UInt8(ascii: "0") < 10, written < 1000 {
                written = written * 10 + Int(p[i] &- UInt8(ascii: "0"))
                i += 1
            }
            guard i > digitsFrom else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard i == n, significand < 1 << 53, abs(exponent) <= 22 else { return nil }
        let magnitude = exponent < 0
            ? Double(significand) / powersOfTen[-exponent] : Double(significand) * powersOfTen[exponent]
        if magnitude != 0 {
            guard magnitude >= Double(Float.leastNormalMagnitude),
                  magnitude <= Double(Float.greatestFiniteMagnitude) else { return nil }
            // The 29 bits a Float drops: exactly 1000…0 means halfway between two floats.
            guard magnitude.bitPattern & (1 << 29 - 1) != 1 << 28 else { return nil }
        }
        return Float(negative ? -magnitude : magnitude)
    }
}
