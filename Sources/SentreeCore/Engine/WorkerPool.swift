import CIntrinsics
import Dispatch
import Foundation
import Synchronization

/// A fixed team of threads that runs the parts of one job at once: the caller and `size - 1`
/// dedicated threads claim parts in turn until none is left.
///
/// Why not `DispatchQueue.concurrentPerform`: a minibatch shard of the d=30 RNN takes about
/// 50 µs, less than a dispatch worker needs to wake up, so the caller often finished its own
/// part and then took the second one too (perf showed it doing twice the worker's share).
/// Here helpers spin for a short while between jobs (the serial part of a training step is a
/// few tens of µs), then sleep. Parts are claimed, not assigned, so a helper that the OS has
/// descheduled on a busy machine never holds up the caller: it just finds nothing left.
/// Which thread runs a part does not change its result, so runs stay deterministic.
///
/// The helpers start with the first job of more than one part: a pool whose owner only ever
/// runs its members' work itself (a `ModelSnapshot` that predicts on the `member` its caller
/// names) costs no threads that would only sleep.
public final class WorkerPool: Sendable {
    /// Threads, the caller included.
    public let size: Int
    private let shared: Shared
    private let helpersStarted = Atomic<Bool>(false)

    /// Whether the helper threads run (they start at the first job that needs them).
    var hasStartedHelpers: Bool { helpersStarted.load(ordering: .acquiring) }

    public init(size: Int) {
        self.size = max(1, size)
        shared = Shared(helpers: self.size - 1)
    }

    private func startHelpers() {
        // Calls of `run` do not overlap, but the exchange keeps a second start out anyway.
        guard !helpersStarted.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for member in 0 ..< size - 1 {
            let shared = self.shared
            let thread = Thread { shared.serve(helper: member) }
            thread.name = "sentree-worker-\(member + 1)"
            thread.start()
        }
    }

    deinit { shared.shutDown() }

    /// Runs `body(part)` for every part in 0..<parts, spread over the team; returns when all
    /// are done. Calls must not overlap (one trainer or evaluation uses a pool at a time).
    func run(parts: Int, _ body: @escaping @Sendable (Int) -> Void) {
        run(parts: parts) { part, _ in body(part) }
    }

    /// `run`, where `body(part, member)` also learns which thread runs it: 0 the caller,
    /// 1 ..< size the helpers. No two parts running at once have the same member, so each
    /// member can own scratch buffers (a network, an engine) without waiting for a lock.
    public func run(parts: Int, _ body: @escaping @Sendable (_ part: Int, _ member: Int) -> Void) {
        if size == 1 || parts == 1 {
            for part in 0 ..< parts { body(part, 0) }
            return
        }
        if !helpersStarted.load(ordering: .acquiring) { startHelpers() }
        let job = Job(parts: parts, body: body)
        shared.start(job)
        job.work(member: 0)
        job.waitUntilDone()
        // Drop the job: it may capture the parameters, and a second reference to them would
        // make the optimizer's in-place update copy the whole buffer.
        shared.current.withLock { $0 = nil }
    }
}

/// One call's parts and how far they have got.
private final class Job: Sendable {
    let parts: Int
    let body: @Sendable (Int, Int) -> Void
    let claimed = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    /// Where the caller waits for the helpers' parts.
    let caller = Waiter()

    init(parts: Int, body: @escaping @Sendable (Int, Int) -> Void) {
        self.parts = parts
        self.body = body
    }

    /// Claims and runs parts until none is left, on thread `member` of the team.
    func work(member: Int) {
        while true {
            let part = claimed.add(1, ordering: .relaxed).oldValue
            guard part < parts else { return }
            body(part, member)
            if finished.add(1, ordering: .sequentiallyConsistent).newValue == parts { caller.wake() }
        }
    }

    /// Spins on the parts that helpers are still running, then sleeps until the last ends.
    ///
    /// Sleeping matters on a busy machine: a helper the OS descheduled mid-part may need
    /// milliseconds, and a spinning caller would take the core it is waiting for.
    func waitUntilDone() {
        caller.wait { finished.load(ordering: .sequentiallyConsistent) >= parts }
    }
}

/// How one thread waits for a condition that another thread makes true: it spins for a short
/// while, then sleeps on a semaphore until the other side calls `wake()`.
///
/// Both sides exchange the `sleeping` flag, and only the one that clears it touches the
/// semaphore (the waker signals, or a sleeper that lost the race takes the signal on its
/// way), so no wake-up is lost and none is left over.
private final class Waiter: Sendable {
    private let sleeping = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    /// Returns once `ready()` is true. `ready` must read with sequentially consistent
    /// ordering, so it cannot miss a `wake()` that follows the change it waits for.
    func wait(until ready: () -> Bool) {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while !ready() {
            sentree_spin_pause()
            spins += 1
            guard spins & 63 == 0, DispatchTime.now().uptimeNanoseconds - start > Shared.spinNanoseconds
            else { continue }
            sleeping.store(true, ordering: .sequentiallyConsistent)
            if !ready() || !sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                semaphore.wait()
            }
        }
    }

    /// Wakes the waiting thread if it sleeps; call after making its condition true.
    func wake() {
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.signal() }
    }
}

/// The state the team shares; helpers hold it, not the pool, so the pool can go away.
private final class Shared: Sendable {
    /// Where each helper waits for the next job.
    let helpers: [Waiter]
    /// Bumped once per job; helpers wait for it to move.
    let generation = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let current = Locked<Job?>(nil)

    /// How long an idle thread spins before it sleeps: longer than the serial gap
    /// between two training steps, short enough not to burn a core through a pause.
    static let spinNanoseconds: UInt64 = 50_000

    init(helpers: Int) { self.helpers = (0 ..< helpers).map { _ in Waiter() } }

    func start(_ job: Job) {
        current.withLock { $0 = job }
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    func shutDown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    private func wakeSleepers() { helpers.forEach { $0.wake() } }

    func serve(helper: Int) {
        let me = helpers[helper]
        var seen = 0
        while true {
            seen = waitForJob(after: seen, me)
            if stopping.load(ordering: .acquiring) { return }
            // nil when the caller already finished every part and dropped the job.
            current.withLock { $0 }?.work(member: helper + 1)
        }
    }

    /// Spins, then sleeps, until the generation moves past `seen`; returns the new one.
    private func waitForJob(after seen: Int, _ me: Waiter) -> Int {
        var g = seen
        me.wait {
            g = generation.load(ordering: .sequentiallyConsistent)
            return g != seen
        }
        return g
    }
}

extension WorkerPool {
    /// `body(index, member)` for every index in 0 ..< count, in parts of `grain` indices
    /// spread over the team, and the results in index order.
    public func map<R: Sendable>(
        count: Int, grain: Int, _ body: @escaping @Sendable (_ index: Int, _ member: Int) -> R
    ) -> [R] {
        let parts = (count + grain - 1) / grain
        let found = Locked([[R]](repeating: [], count: parts))
        run(parts: parts) { part, member in
            let results = (part * grain ..< min(count, (part + 1) * grain)).map { body($0, member) }
            found.withLock { $0[part] = results }
        }
        return found.withLock { $0 }.flatMap { $0 }
    }
}
