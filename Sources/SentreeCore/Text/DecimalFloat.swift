/// Correctly rounded `Float` parsing straight from UTF-8 bytes, without making a `String`.
///
/// Embeddings files hold hundreds of millions of numbers; building a `String` per number
/// would dominate the reading time.
public enum DecimalFloat {
    /// The value of `text` when it is a plain decimal number (`0.01`, `-2`, `.5`, `1e-3`),
    /// else nil. What a person types: Swift's `Double(_:)` also takes `0x10` (16), `inf`
    /// and `nan`, which no one means as a learning rate.
    public static func decimal(_ text: String) -> Double? {
        let plain = /[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/
        guard text.wholeMatch(of: plain) != nil else { return nil }
        return Double(text)
    }

    /// The value of `text`, correctly rounded to `Float` (so `Float(description)` round-trips
    /// bit for bit), or nil if `text` is not a number. Infinities and NaN are returned, not
    /// rejected: the caller decides what a non-finite value means.
    ///
    /// Accepts what Swift's `Float(_: String)` accepts (sign, digits, point, exponent, `inf`,
    /// `nan`, hexadecimal), never leading or trailing spaces.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Float? {
        if let (value, end) = scan(text, from: 0), end == text.count { return value }
        return Float(String(decoding: text, as: UTF8.self))
    }

    /// Parses the plain decimal number (`-12.5e-3`) that starts at `start`, for the common
    /// case only: returns the value and the offset just past the number, or nil when the
    /// syntax is unusual or the value needs the slow path (then `parse` decides).
    ///
    /// Clinger's fast path: when the decimal significand fits in 53 bits and |exponent| ≤ 22,
    /// one IEEE multiply or divide gives the correctly rounded `Double`. Rounding that
    /// `Double` to `Float` is then correct too, unless it lands exactly halfway between two
    /// floats (where the second rounding could go the wrong way) or outside the normal float
    /// range: those cases return nil.
    @inline(__always)
    static func scan(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: Float, end: Int)? {
        let n = p.count
        var i = start
        var negative = false
        if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        // Wrapping arithmetic: more than 18 digits are rejected below, before the value is used.
        var significand: UInt64 = 0
        let integerStart = i
        while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
            significand = significand &* 10 &+ UInt64(d)
            i += 1
        }
        var digits = i - integerStart
        var exponent = 0
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
                significand = significand &* 10 &+ UInt64(d)
                i += 1
            }
            exponent = fractionStart - i
            digits += i - fractionStart
        }
        guard digits > 0 && digits <= 18 else { return nil }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            let digitsStart = i
            var written = 0
            while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10, i - digitsStart < 4 {
                written = written * 10 + Int(d)
                i += 1
            }
            guard i > digitsStart else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard significand < 1 << 53, exponent >= -22 && exponent <= 22 else { return nil }
        let magnitude =
            exponent < 0
            ? Double(significand) / powerOfTen(-exponent) : Double(significand) * powerOfTen(exponent)
        if magnitude != 0 {
            guard magnitude >= Double(Float.leastNormalMagnitude),
                magnitude <= Double(Float.greatestFiniteMagnitude)
            else { return nil }
            // The 29 bits a Float drops: exactly 1000…0 means halfway between two floats.
            guard magnitude.bitPattern & (1 << 29 - 1) != 1 << 28 else { return nil }
        }
        return (Float(negative ? -magnitude : magnitude), i)
    }

    /// 10^e for 0 ≤ e ≤ 22, all exact in a `Double`; a switch, so no lazy global is touched.
    @inline(__always)
    private static func powerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }
}
