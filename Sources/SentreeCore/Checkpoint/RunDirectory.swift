import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a training run's folder, for readers: no lock, nothing created.
///
/// `run.json` (what the run is: its training configuration), `best.safetensors`,
/// `last.safetensors`, `metrics.jsonl` and `sentree.lock`. Every checkpoint is replaced
/// atomically, so a reader never sees a half-written file.
public struct RunFiles: Sendable, Equatable {
    public let path: String

    public init(path: String) { self.path = path }

    /// What the run is: its `TrainingConfig` as JSON, written when the run is created.
    public var configPath: String { path + "/run.json" }
    /// Best dev fine root so far.
    public var bestPath: String { path + "/best.safetensors" }
    /// Most recent state; what `--resume` continues from.
    public var lastPath: String { path + "/last.safetensors" }
    /// One JSON object per line: epochs and steering events.
    public var metricsPath: String { path + "/metrics.jsonl" }
    /// Held (`flock`) by the one process that may write to the run.
    public var lockPath: String { path + "/sentree.lock" }

    /// Names whose presence means the folder holds a run (older runs have no `run.json`).
    static let runFileNames = ["run.json", "best.safetensors", "last.safetensors", "metrics.jsonl"]

    /// Whether the folder holds a run of sentree's.
    public var holdsRun: Bool {
        Self.runFileNames.contains { FileManager.default.fileExists(atPath: path + "/" + $0) }
    }

    /// The files of the run at `path`; throws unless it is a directory that holds a run.
    public static func existing(_ path: String) throws -> RunFiles {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError(path, "no such run directory")
        }
        guard isDirectory.boolValue else { throw CheckpointError(path, "is a file, not a run directory") }
        let files = RunFiles(path: path)
        guard files.holdsRun else {
            throw CheckpointError(
                path, "holds no sentree run (no run.json, last.safetensors or metrics.jsonl)")
        }
        return files
    }

    /// The run's training configuration: from `run.json`, or `nil` for runs older than it.
    public func readConfig() throws -> TrainingConfig? {
        guard FileManager.default.fileExists(atPath: configPath) else { return nil }
        let data: Data
        do { data = try RegularFile.contents(of: configPath) } catch {
            throw CheckpointError(configPath, error.message)
        }
        do {
            return try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch {
            throw CheckpointError(configPath, "not a valid run configuration (\(error.localizedDescription))")
        }
    }
}

/// A run folder owned by this process: the only one allowed to write to it.
///
/// Ownership is an advisory `flock` on `sentree.lock`, taken before anything is written
/// and held until `release()` or deinit. The kernel drops it when the process dies, so a
/// `kill -9` never leaves a lock that blocks the next `--resume`. New runs are assembled
/// in a hidden staging folder and renamed into place, so a run folder always has its
/// `run.json` and two processes racing for one name cannot both get it.
public final class RunDirectory: Sendable {
    public let files: RunFiles
    public var path: String { files.path }
    /// Faults injected into every write (tests only).
    public let faults: WriteFaults?
    private let lock: FileLock
    /// How `create` found the path (nil for a run opened to resume), for `discardNewRun`.
    private let origin: Origin?

    private enum Origin {
        case absent, emptyDirectory
    }

    private init(files: RunFiles, lock: FileLock, faults: WriteFaults?, origin: Origin? = nil) {
        self.files = files
        self.lock = lock
        self.faults = faults
        self.origin = origin
    }

    /// Creates a new run at `path`, which must not exist or be an empty directory.
    ///
    /// Refuses a directory that already holds a run (continue it with `--resume`) or
    /// anything else, so no earlier run is ever overwritten or mixed into this one.
    public static func create(
        at path: String, config: TrainingConfig,
        faults: WriteFaults? = nil
    ) throws -> RunDirectory {
        try refuseOccupied(path)
        let origin: Origin = FileManager.default.fileExists(atPath: path) ? .emptyDirectory : .absent
        let parent = parentPath(path)
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw CheckpointError(parent, "cannot create the directory: \(error.localizedDescription)")
            }
        }
        let name = (path as NSString).lastPathComponent
        let stage =
            (parent.isEmpty ? "." : parent) + "/.\(name).staging-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        guard mkdir(stage, 0o755) == 0 else {
            throw CheckpointError(stage, "cannot create the run directory: \(errnoText())")
        }
        var claimed = false
        defer { if !claimed { try? FileManager.default.removeItem(atPath: stage) } }
        let staged = RunFiles(path: stage)
        let lock = try FileLock(path: staged.lockPath)
        guard try lock.tryLock() == nil else { throw CheckpointError(stage, "staging directory is locked") }
        try AtomicFile.write(
            try encode(config), to: staged.configPath,
            fault: faults?.inject(staged.configPath))
        // rename(2) replaces an empty directory but fails on a non-empty one: exactly the rule.
        guard rename(stage, path) == 0 else {
            let code = errno
            if code == ENOTEMPTY || code == EEXIST || code == ENOTDIR || code == EISDIR {
                try refuseOccupied(path)
                throw CheckpointError(path, "another process created this directory first; choose another")
            }
            throw CheckpointError(path, "cannot create the run directory: \(errnoText(code))")
        }
        claimed = true
        AtomicFile.syncDirectory(parent.isEmpty ? "." : parent)
        return RunDirectory(files: RunFiles(path: path), lock: lock, faults: faults, origin: origin)
    }

    /// Undoes `create` for a start that failed before training began (vectors that do not
    /// fit, no terminal, …), so the next attempt with the same `--out` is not told the
    /// path "already holds a run": removes the files a run writes before its first epoch,
    /// then the directory if `create` made it (an empty directory the user gave stays,
    /// empty). Files it does not know are left, and with them the directory. Does nothing
    /// to a run opened to resume: an existing run is never touched.
    public func discardNewRun() {
        guard let origin else { return }
        release()
        // unlink removes a link, never what it points at.
        for name in RunFiles.runFileNames + ["sentree.lock", Probes.fileName] {
            unlink(path + "/" + name)
        }
        if origin == .absent { rmdir(path) }
    }

    /// Creates a new run at `base`, or at `base-2`, `base-3`, … if that name is taken, so
    /// default run names never collide, even for runs started in the same second.
    public static func createUnique(
        base: String, config: TrainingConfig,
        faults: WriteFaults? = nil
    ) throws -> RunDirectory {
        var lastError: Error? = nil
        for n in 1 ... 1000 {
            let candidate = n == 1 ? base : "\(base)-\(n)"
            if FileManager.default.fileExists(atPath: candidate) { continue }
            do {
                return try create(at: candidate, config: config, faults: faults)
            } catch let error as CheckpointError where FileManager.default.fileExists(atPath: candidate) {
                lastError = error  // lost a race for this name: try the next one
            }
        }
        throw lastError ?? CheckpointError(base, "no free run name")
    }

    /// Takes ownership of an existing run to continue it (`--resume`).
    ///
    /// Fails with the holder's process id if another process is writing to the run.
    public static func openExisting(_ path: String, faults: WriteFaults? = nil) throws -> RunDirectory {
        let files = try RunFiles.existing(path)
        // A run's own files are regular files: a link among them would have this process
        // write into whatever it points at (the lock file and metrics log are also opened
        // with O_NOFOLLOW, for a link planted later).
        for name in RunFiles.runFileNames + ["sentree.lock", "probes.txt"] {
            var info = stat()
            if lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
                throw CheckpointError(path + "/" + name, errnoText(ELOOP))
            }
        }
        let lock = try FileLock(path: files.lockPath)
        if let holder = try lock.tryLock() {
            throw CheckpointError(
                path,
                "is in use by another sentree process (\(holder)); stop it first, "
                    + "or wait for it to finish")
        }
        return RunDirectory(files: files, lock: lock, faults: faults)
    }

    /// `run.json`'s bytes for `config`.
    static func encode(_ config: TrainingConfig) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(config)
    }

    /// Rewrites `run.json` for settings that changed while training (more epochs).
    public func writeConfig(_ config: TrainingConfig) throws {
        try AtomicFile.write(
            try Self.encode(config), to: files.configPath,
            fault: faults?.inject(files.configPath))
    }

    /// Gives up ownership; nothing may be written afterwards.
    public func release() { lock.unlock() }

    /// Throws if `path` is not a place a new run may go (`create` checks again).
    public static func checkAvailable(_ path: String) throws { try refuseOccupied(path) }

    static func refuseOccupied(_ path: String) throws {
        // A link (dangling, or to an empty directory) was taken for a rival's directory:
        // rename(2) cannot put the run there, and nothing is written through a link.
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            throw CheckpointError(
                path,
                "is a symbolic link (to \(target)); sentree never writes a run through a link: "
                    + "give --out a real directory")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw CheckpointError(path, "exists and is not a directory") }
        if RunFiles(path: path).holdsRun {
            throw CheckpointError(
                path,
                "already holds a run; continue it with --resume \(path), "
                    + "or choose a new --out directory")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if !entries.isEmpty {
            throw CheckpointError(
                path,
                "is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); "
                    + "a new run needs a new or empty directory")
        }
    }
}

/// Faults a test injects into a run's writes, to act out a full disk or a directory that
/// became unwritable without needing either.
public struct WriteFaults: Sendable {
    /// Returns the `errno` the write of `path` should fail with, or `nil` to let it happen.
    public let inject: @Sendable (_ path: String) -> Int32?

    public init(_ inject: @escaping @Sendable (_ path: String) -> Int32?) { self.inject = inject }
}

/// An advisory `flock` on a file that records who holds it.
final class FileLock: Sendable {
    private let fd: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        // O_NOFOLLOW: a sentree.lock that is a link would have this process truncate and
        // write its pid into the link's target.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw CheckpointError(path, "cannot open the lock file: \(errnoText())") }
    }

    deinit { close(fd) }

    /// Takes the lock and records this process in the file; if another process holds it,
    /// returns a description of the holder instead.
    func tryLock() throws -> String? {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            guard errno == EWOULDBLOCK else { throw CheckpointError(path, "cannot lock: \(errnoText())") }
            let text =
                (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return text.isEmpty ? "process unknown" : text
        }
        let host = ProcessInfo.processInfo.hostName
        let started = ISO8601DateFormatter().string(from: Date())
        let record = Array("pid \(getpid()) on \(host), since \(started)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = record.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
        return nil
    }

    func unlock() { flock(fd, LOCK_UN) }
}
