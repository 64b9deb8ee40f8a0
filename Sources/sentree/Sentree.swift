import ArgumentParser

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
        subcommands: [Train.self, Eval.self, Predict.self, Gradcheck.self, Bench.self],
        defaultSubcommand: nil
    )
}
