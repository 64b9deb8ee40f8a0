// Compiled into every fuzz target (see Fuzz/run). A broken invariant must crash, so that
// libFuzzer saves the input: `fatalError` traps and ASan reports it with a stack trace.

import Foundation

/// Crashes with `message` unless `condition` holds.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
}

/// The fuzzer's input as `Data` (copied: libFuzzer owns the buffer only during the call).
func fuzzData(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data {
    Data(UnsafeBufferPointer(start: bytes, count: count))
}

/// `NAME` in a directory of this fuzzing process's own (made once per target and process),
/// for targets whose reader takes a path.
func scratchPath(_ target: String, _ name: String) -> String {
    let dir = NSTemporaryDirectory() + "/sentree-fuzz-\(target)-\(getpid())"
    mkdir(dir, 0o755)
    return dir + "/" + name
}
