import ArgumentParser
import Foundation
import CIntrinsics
import Glibc
import Synchronization
import SentreeCore

extension ModelKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension SentimentTask: ExpressibleByArgument {}
extension NeutralRoots: ExpressibleByArgument {}
extension DevInterval: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// A failure to report as one line on stderr with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A treebank to be scored. An empty one is refused: every score over no trees printed
/// 0.00% or 100.00% (or nan%), which looks like a result.
func loadTreebankToScore(_ path: String) throws -> Treebank {
    let bank = try Treebank.load(contentsOf: path)
    if bank.count == 0 { throw CLIError(TerminalText.sanitized("\(bank.source): no trees to score")) }
    return bank
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

/// Prints to standard error. A failed write cannot be reported where it failed, so it is
/// remembered and the command ends with a failure status (`StandardStreams.finish`).
func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes[done...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return StandardStreams.failed(STDERR_FILENO, errno: errno) }
        done += n
    }
}

/// Standard output and error: a write that fails ends the command with status 1 (141 for a
/// closed pipe, as the shell reports a death by SIGPIPE), never a trap and never a silent 0.
enum StandardStreams {
    /// The first failure: which stream and its errno.
    private static let failure = Mutex<(fd: Int32, errno: Int32)?>(nil)
    /// The streams the command started without (`>&-`).
    private static let closed = Mutex<Set<Int32>>([])

    /// Puts `/dev/full` where standard output or error is closed, so that writing there
    /// fails, as it must, instead of landing in the next file the command opens, which the
    /// kernel would give that lowest free descriptor. Closed standard input reads nothing.
    static func prepare() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]
        where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let input = fd == STDIN_FILENO
            let stand = open(input ? "/dev/null" : "/dev/full", input ? O_RDONLY : O_WRONLY)
            guard stand >= 0 else { continue }
            if stand != fd { dup2(stand, fd); close(stand) }
            if !input { closed.withLock { _ = $0.insert(fd) } }
        }
    }

    /// Writes out what `print` buffered, remembering a failure now or since the last flush.
    static func flushStandardOutput() {
        let code = sentree_flush_stdout()
        if code != 0 { failed(STDOUT_FILENO, errno: code) }
    }

    static func failed(_ fd: Int32, errno code: Int32) {
        failure.withLock { if $0 == nil { $0 = (fd, code) } }
    }

    /// Flushes standard output; returns the exit status the command must end with instead
    /// of `status` when a write failed, after saying so on standard error if it can.
    static func finish(_ status: Int32) -> Int32 {
        flushStandardOutput()
        guard let (fd, code) = failure.withLock({ $0 }) else { return status }
        let stream = fd == STDOUT_FILENO ? "standard output" : "standard error"
        let isClosed = closed.withLock { $0.contains(fd) }
        let why = isClosed ? "it is closed" : code > 0 ? errnoText(code) : "write error"
        if fd == STDOUT_FILENO { printError("Error: cannot write \(stream): \(why)") }
        return code == EPIPE ? 141 : status == 0 ? 1 : status
    }
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
