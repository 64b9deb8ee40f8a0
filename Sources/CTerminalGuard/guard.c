// A crash in the dashboard (a Swift trap is SIGILL or SIGTRAP) must not leave the terminal in
// raw mode on the alternate screen with the backtrace painted over it. Only async-signal-safe
// calls (tcsetattr, write, sigaction, raise) run in the handler.
#include "CTerminalGuard.h"
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const int crash_signals[] = {SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE};
enum { crash_signal_count = sizeof crash_signals / sizeof crash_signals[0] };

static struct sigaction previous[crash_signal_count];
static struct termios saved_in, saved_out;
static volatile sig_atomic_t have_in, have_out, installed;

static void restore_terminal(void) {
    if (have_in) tcsetattr(STDIN_FILENO, TCSANOW, &saved_in);
    if (have_out) tcsetattr(STDOUT_FILENO, TCSANOW, &saved_out);
    // Mouse reporting off, main screen, cursor shown, attributes reset.
    static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[?1049l\033[?25h\033[0m\r\n";
    if (have_out) { ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1); (void)ignored; }
}

static void crash_handler(int sig, siginfo_t *info, void *context) {
    restore_terminal();
    for (int k = 0; k < crash_signal_count; k++) {
        if (crash_signals[k] != sig) continue;
        struct sigaction old = previous[k];
        sigaction(sig, &old, NULL);
        if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction) {
            old.sa_sigaction(sig, info, context);
            return;
        }
        if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
            old.sa_handler(sig);
            return;
        }
    }
    // The default action: a fault recurs when the instruction runs again; a signal that was
    // sent (raise, abort, kill) must be sent again.
    if (info == NULL || info->si_code <= 0) raise(sig);
}

void sentree_terminal_guard_install(void) {
    if (installed) return;
    have_in = tcgetattr(STDIN_FILENO, &saved_in) == 0;
    have_out = tcgetattr(STDOUT_FILENO, &saved_out) == 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = crash_handler;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int k = 0; k < crash_signal_count; k++) sigaction(crash_signals[k], &action, &previous[k]);
    installed = 1;
}

void sentree_terminal_guard_remove(void) {
    if (!installed) return;
    for (int k = 0; k < crash_signal_count; k++) sigaction(crash_signals[k], &previous[k], NULL);
    installed = 0;
}
