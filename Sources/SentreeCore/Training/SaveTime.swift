import Foundation

/// How the epoch line shows the time spent saving checkpoints ("  save 0.03s"), the same
/// in headless output and in the dashboard; empty for a run that saves nothing.
public func saveText(_ seconds: Double?) -> String {
    guard let seconds else { return "" }
    return "  save " + String(format: "%.2fs", seconds)
}
