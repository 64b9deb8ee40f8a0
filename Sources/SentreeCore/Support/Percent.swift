import Foundation

/// `fraction` as a percentage with `digits` decimals: `percent(0.4614)` is `46.14%`. The one
/// rule for every percentage sentree prints, so the same figure reads the same everywhere.
public func percent(_ fraction: Double, digits: Int = 2) -> String {
    String(format: "%.\(digits)f%%", 100 * fraction)
}
