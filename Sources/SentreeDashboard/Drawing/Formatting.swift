import Foundation

/// `m:ss`, or `h:mm:ss` past an hour.
func duration(_ seconds: Double) -> String {
    // Clamped: Int(1e308) traps (a hostile metrics log), and 10⁹ s is already 31 years.
    let t = Int(min(1e12, max(0, seconds.isNaN ? 0 : seconds)).rounded())
    return t >= 3600
        ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
        : String(format: "%d:%02d", t / 60, t % 60)
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
