#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex, for state that threads hand to each other.
///
/// What `Synchronization.Mutex` does, but visible to ThreadSanitizer: on Linux a contended
/// `Mutex` waits inside the uninstrumented Synchronization library, so TSan misses the
/// hand-off and reports every value passed through it as a race (see
/// .ci/tsan-suppressions.txt's history). pthread mutexes are intercepted, so with this lock
/// the TSan run in CI needs no suppressions and still catches real races.
///
/// `@unchecked Sendable` is true here: `value` is only ever touched between lock and unlock.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
