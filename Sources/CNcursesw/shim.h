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
#endif
