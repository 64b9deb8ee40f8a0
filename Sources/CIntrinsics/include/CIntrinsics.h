#ifndef SENTREE_CINTRINSICS_H
#define SENTREE_CINTRINSICS_H

// Operations Swift cannot express directly. All are inline, so each call compiles to one or
// two instructions at the Swift call site, with the caller's target features.

/// Asks the CPU to start loading the cache line at `address` for writing (keep in all levels).
static inline void sentree_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Eight floats, imported into Swift as SIMD8<Float>.
typedef float sentree_float8 __attribute__((ext_vector_type(8)));

/// The square root of every lane in one instruction (vsqrtps). Swift's
/// `SIMD8<Float>.squareRoot()` takes eight scalar square roots and rebuilds the vector.
static inline sentree_float8 sentree_sqrt8(sentree_float8 x) {
    return __builtin_elementwise_sqrt(x);
}

/// Tells the CPU this thread is spinning (x86 `pause`, ARM `yield`), so a spin-wait leaves
/// the core's resources to the thread it waits for when the two share a physical core.
static inline void sentree_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#include <errno.h>
#include <stdio.h>

/// Writes out what standard output buffered; returns 0, or the errno of a write that failed
/// now or earlier (-1 when earlier and unknown), and clears the stream's error flag. Swift 6
/// cannot name the C global `stdout`, and glibc drops data a failed write could not write,
/// keeping only that flag.
static inline int sentree_flush_stdout(void) {
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int code = errno;
    clearerr(stdout);
    return failed ? (code != 0 ? code : -1) : 0;
}

#endif
