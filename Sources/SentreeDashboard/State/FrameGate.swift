/// Decides when the view loop draws: after a change was noted, or when the screen size
/// changed, and otherwise not at all.
struct FrameGate {
    private var pending = true
    private var width = -1, height = -1

    /// Records whether something shown may have changed.
    mutating func note(_ changed: Bool) {
        if changed { pending = true }
    }

    /// Whether to draw a frame of this size now; consumes the noted changes.
    mutating func shouldDraw(width: Int, height: Int) -> Bool {
        defer { (pending, self.width, self.height) = (false, width, height) }
        return pending || width != self.width || height != self.height
    }
}
