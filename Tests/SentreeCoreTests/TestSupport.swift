import Foundation

/// A fresh, empty temporary directory.
func makeTemporaryDirectory(_ tag: String = "sentree-test") throws -> String {
    let path = NSTemporaryDirectory() + "/\(tag)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
