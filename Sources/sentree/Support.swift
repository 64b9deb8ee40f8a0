import ArgumentParser
import Foundation
import SentreeCore

extension ModelKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

/// A failure to report as one line on stderr with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, turning library errors into one-line CLI errors.
///
/// Messages are sanitized here as well as where they are made: errors from any layer may
/// quote a path or input, and none of it may reach the terminal raw.
func reportingErrors<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        throw CLIError(TerminalText.sanitized("\(error)"))
    }
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Loads a checkpoint given as a file, or as a run directory (its `best`, else `last`).
func loadCheckpoint(_ path: String) throws -> (Checkpoint, String) {
    var isDirectory: ObjCBool = false
    var file = path
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        let run = RunFiles(path: path)
        file = FileManager.default.fileExists(atPath: run.bestPath) ? run.bestPath : run.lastPath
    }
    return (try Checkpoint.read(from: file), file)
}

/// The class names, 0 (very negative) … 4 (very positive).
let classNames = ["very negative", "negative", "neutral", "positive", "very positive"]
