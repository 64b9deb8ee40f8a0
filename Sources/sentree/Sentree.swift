import ArgumentParser
import Foundation
import SentreeCore

@main
struct Sentree: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentree",
        abstract: "Train and inspect tree-structured recursive neural networks for sentiment (SST).",
        discussion: """
            Start with `sentree train` in a terminal: it fetches SST if needed (see `data/README.md`) \
            and opens the live dashboard. `sentree <command> --help` explains each command.
            """,
        version: "0.1.0",
        subcommands: [
            Train.self, View.self, Eval.self, Predict.self, Parse.self, ParserCommand.self,
            SweepCommand.self, Export.self, Gradcheck.self, Bench.self,
        ],
        defaultSubcommand: nil
    )

    /// ArgumentParser's default `main`, except that what it prints is sanitized: its parse
    /// errors quote option values as the user typed them, escape sequences included.
    ///
    /// A bad flag or value exits 1 like every other error (ArgumentParser's own status for
    /// it is 64): scripts need one failure status, and the documentation promised 1.
    static func main() {
        StandardStreams.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(StandardStreams.finish(0))
        } catch {
            var code = exitCode(for: error)
            if code == .validationFailure { code = .failure }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                let shown = message.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { TerminalText.sanitized(String($0)) }.joined(separator: "\n")
                if code == .success { print(shown) } else { printError(shown) }
            }
            Foundation.exit(StandardStreams.finish(code.rawValue))
        }
    }
}
