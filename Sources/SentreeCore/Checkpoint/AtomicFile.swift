import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe file replacement: write a temp file beside the target, fsync, rename, fsync
/// the directory. A crash or error at any point leaves either the old or the new file.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CheckpointError(path, "cannot create \(temp): \(String(cString: strerror(errno)))") }
        var ok = false
        defer { if !ok { unlink(temp) } }
        let written = data.withUnsafeBytes { buf -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        let synced = written && fsync(fd) == 0
        close(fd)
        guard synced else { throw CheckpointError(path, "cannot write \(temp): \(String(cString: strerror(errno)))") }
        guard rename(temp, path) == 0 else {
            throw CheckpointError(path, "cannot replace the file: \(String(cString: strerror(errno)))")
        }
        ok = true
        let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }
}
