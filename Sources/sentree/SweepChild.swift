import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process of the sweep, started with `posix_spawn` rather than `Process`: the
/// sweep needs what `Process` cannot give: the child in its own process group (a terminal's
/// Ctrl-C reaches the sweep alone, which forwards it once; a second one would make `train`
/// exit without saving), the default signal dispositions back (the sweep ignores SIGINT and
/// SIGTERM to catch them), output appended to log files, and a parent-death signal.
struct SweepChild {
    let pid: pid_t

    /// Starts `executable arguments…` with stdin from /dev/null and stdout and stderr appended
    /// to the given files. Where `setpriv` exists the child gets SIGTERM when the sweep dies
    /// (even by `kill -9`), so it saves its checkpoint instead of training on unowned.
    static func spawn(
        _ executable: String, _ arguments: [String],
        stdout: String, stderr: String
    ) throws -> SweepChild {
        var argv = [executable] + arguments
        if FileManager.default.isExecutableFile(atPath: setpriv) {
            argv = [setpriv, "--pdeathsig", "TERM", "--"] + argv
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for p in cArguments { free(p) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard code == 0 else { throw CLIError("cannot start \(argv[0]): \(String(cString: strerror(code)))") }
        return SweepChild(pid: pid)
    }

    static let setpriv = "/usr/bin/setpriv"

    /// The exit status once the child has ended (`128 + signal` for a signal, as shells
    /// report it), else `nil`. Reaps it.
    func poll() -> Int32? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return r < 0 ? 127 : nil }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    func send(_ signal: Int32) { kill(pid, signal) }
}

/// This program's own executable, which the sweep runs as `train` for each trial.
func ownExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
    if n > 0 { return String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return absolutePath(CommandLine.arguments[0])
}
