// Wide-character ncurses for Swift. SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the
// wide API (cchar_t, setcchar, mvwadd_wch) must be enabled here before <curses.h>.
#ifndef SENTREE_CNCURSESW_SHIM_H
#define SENTREE_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <curses.h>

// Globals and macros that Swift cannot import (shared mutable state, function-like macros).
static inline WINDOW *sentree_stdscr(void) { return stdscr; }
static inline int sentree_lines(void) { return LINES; }
static inline int sentree_cols(void) { return COLS; }
static inline int sentree_colors(void) { return COLORS; }
static inline int sentree_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t sentree_a_bold(void) { return A_BOLD; }
static inline attr_t sentree_a_dim(void) { return A_DIM; }
static inline attr_t sentree_a_reverse(void) { return A_REVERSE; }
static inline attr_t sentree_a_underline(void) { return A_UNDERLINE; }
static inline attr_t sentree_a_normal(void) { return A_NORMAL; }
static inline attr_t sentree_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
// Mouse: clicks of the first button and the wheel (buttons 4 and 5), decoded here because
// mmask_t bits are macros Swift cannot import.
enum { SENTREE_MOUSE_NONE = 0, SENTREE_MOUSE_CLICK = 1, SENTREE_MOUSE_WHEEL_UP = 2, SENTREE_MOUSE_WHEEL_DOWN = 3 };
static inline int sentree_enable_mouse(void) {
    mmask_t old = 0;
    mmask_t wanted = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mouseinterval(0);  // report presses at once instead of waiting to detect a click
    return mousemask(wanted, &old) != 0;
}
static inline int sentree_read_mouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return SENTREE_MOUSE_NONE;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON4_PRESSED) return SENTREE_MOUSE_WHEEL_UP;
    if (e.bstate & BUTTON5_PRESSED) return SENTREE_MOUSE_WHEEL_DOWN;
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return SENTREE_MOUSE_CLICK;
    return SENTREE_MOUSE_NONE;
}
#endif
