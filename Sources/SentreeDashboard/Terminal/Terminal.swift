import CNcursesw
import CTerminalGuard
import Foundation

/// How many colors the terminal offers (after `NO_COLOR`).
enum ColorMode: Equatable {
    case none, basic, extended
}

/// The ncurses backend: draws a `CellGrid` and reads keys. Lives on the UI thread only
/// (`WINDOW *` is not Sendable, so the compiler keeps it there).
final class Terminal {
    let window: UnsafeMutablePointer<WINDOW>
    let colors: ColorMode
    let unicode: Bool

    /// Color pair per tone; 0 = terminal default.
    private var pairs: [Tone: Int16] = [:]

    init?(mouse: Bool = true) {
        setlocale(LC_ALL, "")
        // Before initscr, so a crash restores the modes from before ncurses changed them.
        sentree_terminal_guard_install()
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        unicode = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        guard let screen = initscr() else {
            sentree_terminal_guard_remove()
            return nil
        }
        window = screen
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        wtimeout(window, 100)
        curs_set(0)
        if mouse { _ = sentree_enable_mouse() }
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colors = sentree_colors() >= 256 ? .extended : .basic
        } else {
            colors = .none
        }
        definePairs()
    }

    /// Restores the terminal (cursor, echo, line mode, main screen).
    func close() {
        curs_set(1)
        endwin()
        sentree_terminal_guard_remove()
    }

    var size: (width: Int, height: Int) { (Int(sentree_cols()), Int(sentree_lines())) }

    private func definePairs() {
        guard colors != .none else { return }
        let palette = colors == .extended ? Sentiment.colors256 : Sentiment.colors8
        var next: Int16 = 1
        func define(_ tone: Tone, _ fg: Int32) {
            init_pair(next, Int16(fg), -1)
            pairs[tone] = next
            next += 1
        }
        for (k, c) in palette.enumerated() { define(.sentiment(k), c) }
        define(.accent, colors == .extended ? 75 : 6)
        define(.good, colors == .extended ? 71 : 2)
        define(.warning, colors == .extended ? 214 : 3)
        define(.error, colors == .extended ? 203 : 1)
        // Heat-map shades: light to dark blue backgrounds, dark text on the light ones.
        let shades: [(Int32, Int32)] =
            colors == .extended
            ? [(-1, -1), (16, 195), (16, 153), (231, 68), (231, 25)]
            : [(-1, -1), (0, 7), (0, 6), (7, 4), (7, 4)]
        for (k, (fg, bg)) in shades.enumerated() where k > 0 {
            init_pair(next, Int16(fg), Int16(bg))
            pairs[.shade(k)] = next
            next += 1
        }
        let series = colors == .extended ? SeriesMark.colors256 : SeriesMark.colors8
        for (k, c) in series.enumerated() { define(.series(k), c) }
    }

    private func attributes(_ style: CellStyle) -> (attr_t, Int16) {
        var attr = sentree_a_normal()
        var pair: Int16 = 0
        switch style.tone {
        case .normal: break
        case .dim: attr |= sentree_a_dim()
        case .bold: attr |= sentree_a_bold()
        case .accent, .good, .warning, .error, .series:
            attr |= sentree_a_bold()
            pair = pairs[style.tone] ?? 0
        case .sentiment(let k):
            pair = pairs[style.tone] ?? 0
            // Without color, weight tells the extremes apart (the symbols still differ).
            if colors == .none && (k == 0 || k == 4) { attr |= sentree_a_bold() }
        case .shade(let k):
            pair = pairs[style.tone] ?? 0
            // Without color: the two strongest shades in reverse video, the middle one bold.
            if colors == .none { attr |= k >= 3 ? sentree_a_reverse() : k == 2 ? sentree_a_bold() : 0 }
        }
        if style.reverse { attr |= sentree_a_reverse() }
        return (attr, pair)
    }

    /// Copies the grid to the screen; ncurses sends only what changed since the last frame.
    func draw(_ grid: CellGrid) {
        for y in 0 ..< grid.height {
            var x = 0
            while x < grid.width {
                let style = grid.style(x: x, y: y)
                var run: [wchar_t] = []
                var end = x
                while end < grid.width && grid.style(x: end, y: y) == style {
                    let scalar = grid[end, y].unicodeScalars.first!.value
                    run.append(wchar_t(bitPattern: scalar))
                    end += 1
                }
                // ncurses refuses to write the bottom-right cell without scrolling; skip it.
                if y == grid.height - 1 && end == grid.width { run.removeLast() }
                let (attr, pair) = attributes(style)
                wattr_set(window, attr, pair, nil)
                run.append(0)
                run.withUnsafeBufferPointer {
                    _ = mvwaddnwstr(window, Int32(y), Int32(x), $0.baseAddress!, Int32($0.count - 1))
                }
                x = end
            }
        }
        wattr_set(window, sentree_a_normal(), 0, nil)
        wnoutrefresh(window)
        doupdate()
    }

    /// A key press, `.resize` handled internally; nil after the ~100 ms timeout.
    func readKey() -> (key: Key?, resized: Bool) {
        var ch: wint_t = 0
        let status = wget_wch(window, &ch)
        if status == ERR { return (nil, false) }
        if status == KEY_CODE_YES {
            switch Int32(ch) {
            case KEY_RESIZE: return (nil, true)
            case KEY_MOUSE:
                var x: Int32 = 0, y: Int32 = 0
                let kinds: [Int: MouseEvent.Kind] = [
                    Int(SENTREE_MOUSE_CLICK): .click, Int(SENTREE_MOUSE_WHEEL_UP): .wheelUp,
                    Int(SENTREE_MOUSE_WHEEL_DOWN): .wheelDown,
                ]
                guard let kind = kinds[Int(sentree_read_mouse(&x, &y))] else { return (nil, false) }
                return (.mouse(MouseEvent(kind, x: Int(x), y: Int(y))), false)
            case KEY_UP: return (.up, false)
            case KEY_DOWN: return (.down, false)
            case KEY_LEFT: return (.left, false)
            case KEY_RIGHT: return (.right, false)
            case KEY_PPAGE: return (.pageUp, false)
            case KEY_NPAGE: return (.pageDown, false)
            case KEY_HOME: return (.home, false)
            case KEY_END: return (.end, false)
            case KEY_BTAB: return (.backTab, false)
            case KEY_ENTER: return (.enter, false)
            case KEY_BACKSPACE: return (.backspace, false)
            default: return (nil, false)
            }
        }
        switch ch {
        case 9: return (.tab, false)
        case 10, 13: return (.enter, false)
        case 27: return (.escape, false)
        case 8, 127: return (.backspace, false)
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return (nil, false) }
            return (.char(Character(scalar)), false)
        }
    }
}
