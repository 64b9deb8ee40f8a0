#if canImport(Glibc)
import Glibc
#endif

/// `strerror(code)` as a String: what a failed system call's `errno` means. ELOOP from an
/// `O_NOFOLLOW` open says what happened in the user's words.
public func errnoText(_ code: Int32 = errno) -> String {
    if code == ELOOP {
        return "it is a symbolic link, and sentree never writes through one in a run directory"
    }
    return String(cString: strerror(code))
}
