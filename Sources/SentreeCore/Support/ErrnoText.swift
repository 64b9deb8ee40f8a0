#if canImport(Glibc)
import Glibc
#endif

/// `strerror(code)` as a String: what a failed system call's `errno` means.
public func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
