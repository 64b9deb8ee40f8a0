import Foundation
import Testing
import SentreeCore

// Exit statuses scripts can rely on: 1 for every error, 141 for a closed pipe, never a crash.

/// Runs `sentree` through `/bin/sh -c` with `redirections` (e.g. `>&-`, `2>/dev/full`)
/// applied to it; returns its exit status.
func sentreeInShell(_ arguments: [String], redirections: String) throws -> Int32 {
    let binary = try #require(sentreeBinary, "sentree not found; run `swift build -c release` first")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    // "$@" keeps every argument one word whatever it holds.
    process.arguments = ["-c", "exec \"$0\" \"$@\" </dev/null " + redirections, binary] + arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

@Suite struct UsageErrorCLITests {
    /// Bad values and unknown choices exit 1 like every other error (ArgumentParser says 64).
    @Test(arguments: [["--seed", "-1"], ["--model", "lstm"], ["--no-such-flag"]])
    func usageErrorsExit1(_ flags: [String]) throws {
        let r = try sentree(["train", "--headless"] + flags)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("Error: "), "\(r.stderr)")
    }

}

@Suite struct StreamFailureCLITests {
    /// Before: exit 132 in printError; now the failed command keeps its status 1.
    @Test(arguments: ["2>/dev/full", "2>&-"])
    func anErrorThatCannotBeWrittenStillExits1(_ redirection: String) throws {
        let status = try sentreeInShell(
            ["eval", "--checkpoint", "/nonexistent", "--data", "/nonexistent"],
            redirections: redirection)
        #expect(status == 1)
    }

    /// Before: exit 0 with all output lost.
    @Test(arguments: ["eval", "predict"], [">/dev/full", ">&-"])
    func lostOutputExits1AndSaysSo(_ command: String, _ redirection: String) throws {
        let shared = try trained()
        let dir = try temporaryDirectory("sentree-lost-output")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let arguments =
            command == "eval"
            ? ["eval", "--checkpoint", shared.run, "--data", shared.data + "/dev.txt"]
            : ["predict", "--checkpoint", shared.run, "a good movie"]
        let status = try sentreeInShell(arguments, redirections: redirection + " 2>'\(dir)/stderr'")
        #expect(status == 1)
        let stderr = try String(contentsOfFile: dir + "/stderr", encoding: .utf8)
        let why = redirection == ">&-" ? "it is closed" : "No space left on device"
        #expect(stderr.contains("Error: cannot write standard output: \(why)"), "\(stderr)")
    }

    @Test func aClosedPipeExits141() throws {
        let shared = try trained()
        let lines = String(repeating: "a good movie\n", count: 20_000)
        let dir = try temporaryDirectory("sentree-pipe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try lines.write(toFile: dir + "/in", atomically: true, encoding: .utf8)
        let binary = try #require(sentreeBinary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // POSIX sh has no PIPESTATUS: the status of the pipe's writer goes through a file.
        process.arguments = [
            "-c",
            "{ \"$0\" predict --checkpoint \"$1\" <\"$2\"; echo $? >\"$3\"; } "
                + "| head -c 1 >/dev/null", binary, shared.run, dir + "/in", dir + "/status",
        ]
        try process.run()
        process.waitUntilExit()
        let status = try String(contentsOfFile: dir + "/status", encoding: .utf8)
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "141")
    }
}
