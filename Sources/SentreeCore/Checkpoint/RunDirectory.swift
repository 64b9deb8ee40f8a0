import Foundation

/// A training run's folder: `best.safetensors`, `last.safetensors`, `metrics.jsonl`.
public struct RunDirectory: Sendable {
    public let path: String

    /// Opens the folder, creating it if needed.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CheckpointError(path, "exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw CheckpointError(path, "cannot create the run directory: \(error.localizedDescription)")
            }
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw CheckpointError(path, "run directory is not writable")
        }
        self.path = path
    }

    /// Best dev fine root so far.
    public var bestPath: String { path + "/best.safetensors" }
    /// Most recent state; what `--resume` continues from.
    public var lastPath: String { path + "/last.safetensors" }
    /// One JSON object per line: epochs and steering events.
    public var metricsPath: String { path + "/metrics.jsonl" }
}
