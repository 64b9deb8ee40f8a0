import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe file replacement: write a temp file beside the target, fsync, rename, fsync
/// the directory. A crash or error at any point leaves either the old or the new file.
public enum AtomicFile {
    /// Replaces `path` with `data`. `fault` (tests) makes the write fail half-way with that
    /// `errno`, as a full disk would.
    public static func write(_ data: Data, to path: String, fault: Int32? = nil) throws {
        let (fd, temp, directory) = try createTemp(for: path)
        var ok = false
        defer { if !ok { unlink(temp) } }
        var failure: Int32 = 0
        let written = data.withUnsafeBytes { buf -> Bool in
            var offset = 0
            let limit = fault == nil ? buf.count : buf.count / 2
            while offset < limit {
                let n = Foundation.write(fd, buf.baseAddress! + offset, limit - offset)
                if n <= 0 { failure = n == 0 ? EIO : errno; return false }
                offset += n
            }
            if let fault { failure = fault; return false }
            return true
        }
        let synced = written && fsync(fd) == 0
        if written && !synced { failure = errno }
        close(fd)
        guard synced else { throw CheckpointError(path, "cannot write \(temp): \(errnoText(failure))") }
        guard rename(temp, path) == 0 else {
            throw CheckpointError(path, "cannot replace the file: \(errnoText())")
        }
        ok = true
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// Fails as `write(_:to:)` would, without writing: `path` is a directory, or its temp
    /// file cannot be created beside it (no such directory, no permission, read-only file
    /// system). A command that works for minutes before it writes checks this first.
    public static func checkWritable(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
            throw CheckpointError(path, "is a directory; give a file path")
        }
        let (fd, temp, _) = try createTemp(for: path)
        close(fd)
        unlink(temp)
    }

    /// Opens the temp file that `write(_:to:)` fills, named after `path` and this process.
    private static func createTemp(for path: String) throws -> (fd: Int32, temp: String, directory: String) {
        let directory = parentPath(path)
        let temp =
            (directory.isEmpty ? "." : directory)
            + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw CheckpointError(path, "cannot create \(temp): \(errnoText())") }
        return (fd, temp, directory)
    }

    /// Makes a rename in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let dirfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }
}
