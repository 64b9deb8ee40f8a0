/// A thread-safe mailbox of trainer events that a UI loop drains at its own pace.
///
/// The trainer posts from its queue; the UI thread calls `drain()` once per frame, so the
/// UI never blocks the trainer for longer than an array append.
public final class EventInbox: Sendable {
    private let pending = Locked<[TrainerEvent]>([])

    public init() {}

    /// Appends an event (called on the trainer's queue).
    public func post(_ event: TrainerEvent) {
        pending.withLock { $0.append(event) }
    }

    /// Takes every event posted since the last call, oldest first.
    public func drain() -> [TrainerEvent] {
        pending.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
