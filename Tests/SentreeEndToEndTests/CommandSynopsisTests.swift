import Foundation
import Testing

/// Every flag a command's `--help` lists is in that command's lines of the synopsis at the
/// top of docs/commands.md, which claims to hold all flags: `parse --input` and
/// `--right-branching`, `view --no-mouse`, `bench --vectors` and all of
/// `parser check-tokenizer` were missing from it.
@Suite struct CommandSynopsisTests {
    static let commands = [
        "train", "view", "eval", "predict", "parse", "parser train", "parser eval", "parser detokenize",
        "parser check-tokenizer", "parser gradcheck", "gradcheck", "bench", "sweep", "sweep plan",
        "sweep run-trial", "export",
    ]

    /// The synopsis lines of `command`: those starting `sentree COMMAND ` (the longest command
    /// that fits) and the indented lines that continue them.
    static func synopsis(of command: String) throws -> String {
        let doc = try String(
            contentsOfFile: ResultsTableTests.repository + "/docs/commands.md", encoding: .utf8)
        let block = doc.components(separatedBy: "```")[1]
        var owner: String?, text = ""
        for line in block.split(separator: "\n") {
            if line.hasPrefix("sentree ") {
                owner = commands.filter { line.hasPrefix("sentree \($0) ") }.max { $0.count < $1.count }
            }
            if owner == command { text += line + "\n" }
        }
        return text
    }

    @Test(arguments: commands)
    func everyFlagOfTheHelpIsInTheSynopsis(_ command: String) throws {
        let help = try sentree(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(help.status == 0, "\(help.stderr)")
        let synopsis = try Self.synopsis(of: command)
        #expect(!synopsis.isEmpty, "no synopsis line for `sentree \(command)`")
        let flags = help.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            // An option's own line starts two spaces in; its help text wraps further in.
            guard line.hasPrefix("  -"), let flag = words.first(where: { $0.hasPrefix("--") }),
                words.first == flag || words.first?.hasSuffix(",") == true
            else { return nil }
            return String(flag.prefix { $0 != "=" && $0 != "," })
        }
        for flag in Set(flags).subtracting(["--help", "--version"]) {
            let listed = synopsis.ranges(of: flag).contains { range in
                range.upperBound == synopsis.endIndex
                    || !(synopsis[range.upperBound].isLetter || synopsis[range.upperBound] == "-")
            }
            #expect(listed, "`sentree \(command) \(flag)` is not in docs/commands.md's synopsis")
        }
    }
}
