#if canImport(Glibc)
import Glibc
#endif

/// The signals that end a run the orderly way: stop at the next minibatch, save `last`, exit
/// 128 + the signal. SIGHUP is among them because closing the terminal (or tmux
/// `kill-server`) sends it, and losing every epoch since the last save to a closed window is
/// the worst outcome of all.
public enum StopSignals {
    public static let all: [Int32] = [SIGINT, SIGTERM, SIGHUP]
}
