#ifndef SENTREE_CTERMINALGUARD_H
#define SENTREE_CTERMINALGUARD_H

/// Saves the terminal modes of standard input and output (call before ncurses changes them)
/// and installs handlers for the signals of a crash (SIGILL, SIGTRAP, SIGABRT, SIGSEGV,
/// SIGBUS, SIGFPE). A handler puts the saved modes back, leaves the alternate screen, shows
/// the cursor and stops mouse reporting, then hands the signal to the handler it replaced
/// (Swift's backtracer prints on a usable terminal) or to the default action.
void sentree_terminal_guard_install(void);

/// Removes the handlers (the terminal was restored normally).
void sentree_terminal_guard_remove(void);

#endif
