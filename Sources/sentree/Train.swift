import ArgumentParser
import Dispatch
import Foundation
import SentreeCore
import SentreeDashboard

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a tree RNN on SST, with a live dashboard in a terminal.",
        discussion: """
        Opens the dashboard when standard output is a terminal; prints one line per epoch \
        otherwise, or with --headless. Each run directory holds `best.safetensors` (best dev \
        fine root), `last.safetensors` (resume point) and `metrics.jsonl` (one JSON object per \
        epoch, plus pause and learning-rate events).

        Data: --data DIR must contain train.txt and dev.txt. Without --data, data/sst is used; \
        if it is missing it is copied from $SST_DIR or downloaded (see data/README.md).
        """)

    @Option(help: "Directory with train.txt and dev.txt (default: data/sst, fetched if missing).")
    var data: String?
    @Option(help: "Run directory for checkpoints and metrics (default: runs/<model>-<time>).")
    var out: String?
    @Option(help: "Continue the run in this directory from its last checkpoint.")
    var resume: String?
    @Option(help: "Model: rnn (one ReLU layer) or rnn2 (two layers).") var model: ModelKind = .rnn
    @Option(help: "Width d of word and node vectors.") var dim = TrainingConfig().dim
    @Option(help: "Width m of rnn2's second layer (default: d).") var middle: Int?
    @Option(help: "Number of epochs (default: 20; with --resume, the checkpoint's).") var epochs: Int?
    @Option(help: "Trees per minibatch.") var batchSize = TrainingConfig().batchSize
    @Option(name: [.customLong("lr"), .long], help: "Learning rate.") var learningRate = TrainingConfig().learningRate
    @Option(help: "Optimizer: adagrad or sgd.") var optimizer: OptimizerKind = .adagrad
    @Option(help: "L2 strength on W, W2 and U.") var l2 = TrainingConfig().l2
    @Option(help: "Random seed (initialization and shuffling).") var seed: UInt64 = TrainingConfig().seed
    @Option(help: "Worker threads per minibatch (default: all cores).") var threads: Int?
    @Flag(help: "Keep the case of words (default: lower-case).") var keepCase = false
    @Flag(help: "Print one line per epoch instead of opening the dashboard.") var headless = false

    func validate() throws {
        if dim < 1 { throw ValidationError("--dim must be at least 1") }
        if let middle, middle < 1 { throw ValidationError("--middle must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--lr must be a positive number") }
        if !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 must be zero or positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let status = try reportingErrors { try trainRun() }
        if status != 0 { throw ExitCode(status) }
    }

    func trainRun() throws -> Int32 {
        var config = TrainingConfig()
        config.model = model
        config.dim = dim
        config.middle = middle
        config.epochs = epochs ?? config.epochs
        config.batchSize = batchSize
        config.learningRate = learningRate
        config.optimizer = optimizer
        config.l2 = l2
        config.seed = seed
        config.threads = threads ?? 0
        config.lowercase = !keepCase

        var checkpoint: Checkpoint? = nil
        var runPath = out
        if let resume {
            let run = try RunDirectory(path: resume)
            guard FileManager.default.fileExists(atPath: run.lastPath) else {
                throw CLIError("\(resume): no last.safetensors to resume from")
            }
            checkpoint = try Checkpoint.read(from: run.lastPath)
            if epochs == nil { config.epochs = checkpoint!.config.epochs }
            runPath = resume
        }
        let dir = try SSTData.resolve(explicitDirectory: data) { printError($0) }
        let train = try Treebank.load(contentsOf: dir + "/train.txt")
        let dev = try Treebank.load(contentsOf: dir + "/dev.txt")
        let runDirectory = runPath ?? defaultRunPath(model: config.model)

        let interactive = !headless && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
        if interactive {
            let inbox = EventInbox()
            let trainer = try Trainer(config: config, train: train, dev: dev, runDirectory: runDirectory,
                                      resume: checkpoint, onEvent: { inbox.post($0) })
            let setup = DashboardSetup(config: trainer.config, dev: dev, devWordIDs: trainer.devWordIDs,
                                       runDirectory: runDirectory, stepsPerEpoch: trainer.stepsPerEpoch,
                                       startEpoch: trainer.startEpoch)
            return Dashboard.run(setup: setup, control: trainer, inbox: inbox, start: { trainer.start() })
        }
        return try Headless.run(config: config, train: train, dev: dev, runDirectory: runDirectory,
                                resume: checkpoint)
    }
}

/// `runs/<model>-<yyyyMMdd-HHmmss>`.
func defaultRunPath(model: ModelKind) -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyyMMdd-HHmmss"
    f.locale = Locale(identifier: "en_US_POSIX")
    return "runs/\(model.rawValue)-\(f.string(from: Date()))"
}
