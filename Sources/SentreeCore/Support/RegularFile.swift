import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a file named from outside could not be read: the path and what went wrong.
public struct FileProblem: Error, CustomStringConvertible, Equatable {
    public let path: String
    /// `no such file`, `is a named pipe (FIFO), not a regular file`, `cannot read: …`
    public let message: String

    public var description: String { "\(path): \(message)" }
}

/// A file named from outside (a treebank, vectors, a checkpoint, probes, `run.json`), open
/// for reading only when it is a regular file.
///
/// A FIFO given as a vectors file made `predict` and `--resume` wait forever for a writer
/// that never came; a device or a socket is no input either. The file is opened with
/// `O_NONBLOCK`, so that not even the open of a FIFO blocks, and checked with `fstat` before
/// a byte is read. `size` is the size when opened, which a reader checks lengths against.
public final class RegularFile {
    public let path: String
    public let size: Int
    private let descriptor: Int32

    public init(_ path: String) throws(FileProblem) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw FileProblem(
                path: path, message: errno == ENOENT ? "no such file" : "cannot open: \(errnoText())")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let text = errnoText()
            close(fd)
            throw FileProblem(path: path, message: "cannot read: \(text)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw FileProblem(path: path, message: "is \(Self.kind(info.st_mode)), not a regular file")
        }
        // Reads of a regular file never block; cleared anyway so they are ordinary reads.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// The whole file at `path`.
    public static func contents(of path: String) throws(FileProblem) -> Data {
        let file = try RegularFile(path)
        return try file.read(at: 0, count: file.size)
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    public func read(at offset: Int, count: Int) throws(FileProblem) -> Data {
        var data = Data(count: max(0, count))
        var done = 0
        while done < count {
            let n = data.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done))
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileProblem(path: path, message: "cannot read: \(errnoText())")
            }
            done += n
        }
        data.count = done
        return data
    }

    /// Reads the next bytes into `buffer` from the current position; 0 at the end.
    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(FileProblem) -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw FileProblem(path: path, message: "cannot read: \(errnoText())") }
        }
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a plain file"
        }
    }
}
