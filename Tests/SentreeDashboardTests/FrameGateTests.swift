import Testing
@testable import SentreeDashboard

/// `sentree view` draws only when something shown changed (#18 item 11: an idle view of a
/// 200,000-epoch run kept a core at 80–100%).
@Suite struct FrameGateTests {
    @Test func drawsOnChangesAndResizesOnly() {
        var gate = FrameGate()
        var draws: [Bool] = []
        draws.append(gate.shouldDraw(width: 120, height: 40))  // the first frame
        draws.append(gate.shouldDraw(width: 120, height: 40))
        gate.note(false)
        draws.append(gate.shouldDraw(width: 120, height: 40))
        gate.note(true)
        gate.note(false)  // a change noted before a no-change still draws
        draws.append(gate.shouldDraw(width: 120, height: 40))
        draws.append(gate.shouldDraw(width: 120, height: 40))
        draws.append(gate.shouldDraw(width: 80, height: 40))  // a resize
        draws.append(gate.shouldDraw(width: 80, height: 40))
        #expect(draws == [true, false, false, true, false, true, false])
    }

    /// A tick changes the screen only when it takes a message away.
    @Test func aTickReportsAnExpiredMessage() throws {
        var state = DashboardState(setup: try Fixture.setup())
        var changed: [Bool] = []
        changed.append(state.tick(now: 1))
        state.message = "saved"
        state.messageIsError = false
        changed.append(state.tick(now: 1 + messageLifetime / 2))
        changed.append(state.tick(now: 1 + messageLifetime))
        changed.append(state.tick(now: 100))
        #expect(changed == [false, false, true, false] && state.message == nil)
    }
}
