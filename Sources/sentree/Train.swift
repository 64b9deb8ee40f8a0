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
            otherwise, or with --headless. Each run directory holds `run.json` (the settings), \
            `best.safetensors` (best dev fine root), `last.safetensors` (resume point) and \
            `metrics.jsonl` (one JSON object per epoch, plus pause and learning-rate events).

            A new run needs a new or empty --out directory; a directory that holds a run is \
            refused (continue it with --resume). One process at a time may write to a run.

            --resume RUN takes the data, model and every setting from the run, its thread count \
            included. With it, --epochs, --threads, --save-interval, --lr and a moved --data apply; a different --model, \
            --dim, --middle, --task, --batch-size, --optimizer, --l2, --l2-classifier, --l2-words, --dropout, \
            --leaf-dropout, --state-dropout, --classifier-hidden, --word-dropout, --adagrad-reset, \
            --adagrad-epsilon, --dev-every, --lr-plateau, --lr-plateau-factor, --patience, \
            --word-optimizer, --word-lr, --seed or --keep-case is refused.

            --dropout P drops each unit of the vector every node's classifier reads with \
            probability P during training (inverted dropout: the kept ones are scaled by 1/(1−P)); \
            evaluation and predictions never drop. The masks follow from the seed, the step and \
            the node, so they are the same for any thread count.

            --leaf-dropout P drops units of the word vector each leaf reads (the Tree-LSTM's x, \
            the leaf vector of rnn, rnn2 and rntn), and --state-dropout P units of each child's \
            state as its parent reads it (the Tree-LSTM's h, never its memory c; the children's \
            vectors of the others), each at its own rate, in training only, like --dropout.

            --classifier-hidden H puts a tanh layer of H units between each node's state and the \
            softmax (0, the default: none). Its weights are L2-decayed like U (--l2-classifier).

            --word-dropout α has a training leaf whose word occurs c times in the training trees \
            read <unk> instead with probability α/(c + α): rare words mostly, frequent ones almost \
            never. It trains the <unk> vector, which every word that training never saw reads at \
            evaluation (5% of SST's dev words); without it that vector keeps its random start.

            --l2 sets the L2 strength of every weight matrix; --l2-classifier overrides it for \
            the classifier U, and --l2-words decays the word vectors a minibatch uses (only \
            those: a word's vector is pulled towards 0 when its sentences train, as in CoreNLP).

            --adagrad-reset N zeroes AdaGrad's sum of squared gradients before epochs N+1, 2N+1, \
            …, so the steps grow back to the full learning rate (CoreNLP's RNTN trainer does it \
            every epoch); 0 never does. --adagrad-epsilon E is the ε added to the root of that \
            sum: a larger one (CoreNLP's RNTN uses 1e-3) shrinks the steps of parameters whose \
            gradients stay small.

            --task binary trains SST-2 as Tai et al.'s Tree-LSTM code does: sentences whose root \
            is neutral are dropped from train and dev, node labels become negative (0, 1), neutral \
            (2) and positive (3, 4), the softmax has those 3 classes, and a node is positive iff \
            P(positive) > P(negative). `best` is picked by dev binary root. The default, fine, \
            is the 5-class task. Unlike Tai et al., training keeps the trees whose root is neutral \
            (their phrases are labelled too: +1.6 dev binary root on seeds 1-3, RESULTS.md); \
            --neutral-roots drop trains on the non-neutral sentences alone, as they did. Dev \
            always drops them.

            --dev-every N scores dev (and keeps `best` if it is the best so far) after every N-th \
            step of the run; --dev-every Fep (0 < F ≤ 1, e.g. 0.25ep) after the first step at or past \
            each F of an epoch. Every epoch's end is scored too. Each evaluation inside an epoch is a \
            `"event": "evaluation"` line of metrics.jsonl with its `position` in epochs (2.25: a \
            quarter into epoch 3); the dashboard's accuracy chart draws it there.

            --lr-plateau K multiplies the learning rate by --lr-plateau-factor (default 0.5) after K \
            dev evaluations in a row without a gain in fine root (binary root for --task binary), \
            then counts again. --patience K \
            stops training after K evaluations in a row without a gain; the run then ends as done, \
            and --resume has nothing left to do. Both count every evaluation, at epoch ends and \
            inside epochs; the counts and the rate are in the checkpoints, so --resume goes on \
            with them.

            --word-optimizer sgd|adagrad gives the word vectors (the rows of L) their own update \
            rule, at --word-lr (default: --lr); Tai et al. train the Tree-LSTM with AdaGrad at 0.05 \
            and the word vectors with plain SGD at 0.1. The word rate moves with the learning rate \
            (a plateau halves both). It replaces --embedding-lr-scale and --freeze-embeddings, \
            which are refused with it.

            Data: --data DIR must contain train.txt and dev.txt. Without --data, data/sst is used; \
            if it is missing it is copied from $SST_DIR or downloaded (see data/README.md).

            Exit status: 0 done, 1 error (also when saving kept failing, or when training diverged), \
            129 SIGHUP (the terminal closed), 130 Ctrl-C, 143 SIGTERM; `last` is saved before every exit but a diverged one (its \
            loss or parameters stopped being finite numbers, and are never saved).
            """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var shape: ModelShapeOptions<ModelDefaults>
    @OptionGroup var threadOptions: ThreadOptions
    @Option(help: "New run directory for checkpoints and metrics (default: runs/<model>-<time>).")
    var out: String?
    @Option(
        help: ArgumentHelp(
            "Name of the new run: runs/NAME, or runs/NAME-<time> if that is taken.",
            valueName: "name"))
    var name: String?
    @Option(help: "Continue the run in this directory, with its data and settings.")
    var resume: String?
    @Option(
        help:
            "Number of epochs (default: the model's, \(TrainingConfig().epochs) for rnn; with --resume, the run's)."
    )
    var epochs: Int?
    @Option(
        help: ArgumentHelp(
            "What to learn: fine (5 classes) or binary (SST-2: neutral sentences dropped, "
                + "negative / neutral / positive nodes). (default: fine)", valueName: "task"))
    var task: SentimentTask?
    @Option(
        help: ArgumentHelp(
            "With --task binary: keep the training trees whose root is neutral, or drop them as "
                + "Tai et al. do. (default: keep)", valueName: "keep|drop"))
    var neutralRoots: NeutralRoots?
    @Option(help: "Trees per minibatch. (default: \(TrainingConfig().batchSize))") var batchSize: Int?
    @Option(
        name: [.customLong("lr"), .long],
        help: "Learning rate (default: the model's, \(TrainingConfig().learningRate) for rnn).")
    var learningRate: Double?
    @Option(help: "Optimizer: adagrad or sgd. (default: adagrad)") var optimizer: OptimizerKind?
    @Option(
        help: "L2 strength on the weight matrices (default: the model's, \(TrainingConfig().l2) for rnn).")
    var l2: Double?
    @Option(help: "L2 strength on the classifier U (default: --l2).")
    var l2Classifier: Double?
    @Option(help: "L2 strength on the word vectors a minibatch uses (default: 0).")
    var l2Words: Double?
    @Option(
        help: ArgumentHelp(
            "Dropout rate on the classifier input during training, 0 ≤ P < 1 "
                + "(default: the model's, 0.5 for rntn, else 0)."))
    var dropout: Double?
    @Option(
        help: ArgumentHelp(
            "Word dropout: a training leaf of a word seen c times reads <unk> with "
                + "probability α/(c + α) (default: the model's, 1 for rntn, else 0).",
            valueName: "α"))
    var wordDropout: Double?
    @Option(
        help: ArgumentHelp(
            "Dropout rate on the leaves' word vectors during training "
                + "(default: the model's, 0.25 for treelstm, 0.2 for rntn, else 0)."))
    var leafDropout: Double?
    @Option(
        help: ArgumentHelp(
            "Dropout rate on the children's states as parents read them, in training "
                + "(default: the model's, 0.25 for treelstm, else 0)."))
    var stateDropout: Double?
    @Option(
        help: ArgumentHelp(
            "Width of a tanh hidden layer before the softmax; 0 = none (default: 0).", valueName: "h"))
    var classifierHidden: Int?
    @Option(
        help: ArgumentHelp(
            "Zero AdaGrad's sum of squared gradients every N epochs, 0 = never "
                + "(default: the model's, 1 for rntn, else 0).", valueName: "n"))
    var adagradReset: Int?
    @Option(
        help: ArgumentHelp(
            "AdaGrad's ε, added to the root of the sum of squared gradients "
                + "(default: the model's, 0.001 for rntn, else 1e-08).", valueName: "e"))
    var adagradEpsilon: Double?
    @Option(
        help: ArgumentHelp(
            "Score dev also inside epochs: every N steps, or every F of an epoch as Fep, e.g. 0.25ep "
                + "(default: the model's, 0.25ep for treelstm, else at epoch ends only; 1ep: at epoch ends).",
            valueName: "n|Fep"))
    var devEvery: DevInterval?
    @Option(
        help: ArgumentHelp(
            "Multiply the learning rate by --lr-plateau-factor after K dev evaluations without "
                + "a fine-root gain (default: never).", valueName: "k"))
    var lrPlateau: Int?
    @Option(
        help: ArgumentHelp(
            "The plateau's multiplier, 0 < F < 1 (default: \(TrainingConfig.defaultPlateauFactor)).",
            valueName: "f"))
    var lrPlateauFactor: Double?
    @Option(
        help: ArgumentHelp(
            "Stop after K dev evaluations without a fine-root gain (default: the model's, 12 for "
                + "treelstm, else never; 0: never).", valueName: "k"))
    var patience: Int?
    @Option(help: "Update rule of the word vectors: sgd or adagrad (default: --optimizer, at --lr).")
    var wordOptimizer: OptimizerKind?
    @Option(name: .customLong("word-lr"), help: "Learning rate of the word vectors (needs --word-optimizer).")
    var wordLearningRate: Double?
    @Option(help: "Random seed (initialization, shuffling, dropout). (default: \(TrainingConfig().seed))")
    var seed: UInt64?
    @Option(help: "Pretrained word vectors (GloVe or word2vec text) to start L from; sets the word width.")
    var embeddings: String?
    @Flag(help: "Keep the pretrained word vectors fixed.") var freezeEmbeddings = false
    @Option(help: "Learning-rate multiplier for the word vectors (default: 1).") var embeddingLrScale: Double?
    @Option(
        help: ArgumentHelp(
            "Seconds between automatic saves of last; 0 saves at every epoch end "
                + "(default: \(Int(TrainingConfig.defaultSaveInterval))).", valueName: "seconds"))
    var saveInterval: Double?
    @Flag(help: "Keep the case of words (default: lower-case).") var keepCase = false
    @Flag(help: "Print one line per epoch instead of opening the dashboard.") var headless = false
    @Option(
        help: ArgumentHelp(
            "A sentence or PTB tree to watch in the dashboard (repeatable); kept in RUN/probes.txt.",
            valueName: "text"))
    var probe: [String] = []
    @OptionGroup var parserOptions: ParserOptions
    @Flag(help: "Do not read the mouse in the dashboard (clicks and the wheel then reach the terminal).")
    var noMouse = false
    @Option(
        parsing: .upToNextOption, help: "Earlier runs to show beside this one (read only; dashboard only).")
    var compare: [String] = []

    var data: String? { dataOptions.data }
    var model: ModelKind? { shape.model }
    var dim: Int? { shape.dim }
    var inputDim: Int? { shape.inputDim }
    var middle: Int? { shape.middle }
    var threads: Int? { threadOptions.threads }

    func validate() throws {
        for (setting, value) in givenSettings {
            if let problem = TrainingConfig.problem(setting, value) {
                throw ValidationError(problem.flagDescription)
            }
        }
        if let adagradReset, adagradReset > 0, optimizer == .sgd {
            throw ValidationError("--adagrad-reset needs --optimizer adagrad (SGD keeps no sums to reset)")
        }
        if adagradEpsilon != nil, optimizer == .sgd {
            throw ValidationError("--adagrad-epsilon needs --optimizer adagrad (SGD does not use it)")
        }
        if let devEvery, let problem = devEvery.problem { throw ValidationError("--dev-every \(problem)") }
        if let patience, patience < 0 {
            throw ValidationError(
                "--patience must be 0 (never stop early) or from 1 to \(TrainingConfig.maximum(.patience)) "
                    + "(got \(patience))")
        }
        if wordOptimizer != nil && (freezeEmbeddings || embeddingLrScale != nil) {
            throw ValidationError(
                "--word-optimizer gives the word vectors their own rate (--word-lr); it cannot be combined "
                    + "with --embedding-lr-scale or --freeze-embeddings")
        }
        if wordLearningRate != nil && wordOptimizer == nil && resume == nil {
            throw ValidationError("--word-lr needs --word-optimizer sgd|adagrad")
        }
        if neutralRoots != nil && task != .binary && resume == nil {
            throw ValidationError(
                "--neutral-roots needs --task binary (the 5-class task trains on every tree)")
        }
        if lrPlateauFactor != nil && lrPlateau == nil && resume == nil {
            throw ValidationError("--lr-plateau-factor needs --lr-plateau K")
        }
        if freezeEmbeddings && embeddingLrScale != nil {
            throw ValidationError(
                "--freeze-embeddings and --embedding-lr-scale contradict each other; give one")
        }
        if (freezeEmbeddings || embeddingLrScale != nil) && embeddings == nil && resume == nil {
            throw ValidationError("--freeze-embeddings and --embedding-lr-scale need --embeddings FILE")
        }
        if out != nil && resume != nil {
            throw ValidationError("--out starts a new run and --resume continues one; give only one of them")
        }
        if let name {
            if out != nil {
                throw ValidationError("--name and --out both name the new run; give one of them")
            }
            if resume != nil { throw ValidationError("--name names a new run; --resume continues one") }
            if let problem = runNameProblem(name) { throw ValidationError("--name \(name): \(problem)") }
        }
    }

    /// The numeric settings given as flags, for the rules every run's settings meet (the
    /// option groups check theirs).
    var givenSettings: [(TrainingConfig.Setting, Double)] {
        let given: [(TrainingConfig.Setting, Double?)] = [
            (.epochs, epochs.map(Double.init)), (.batchSize, batchSize.map(Double.init)),
            (.learningRate, learningRate), (.l2, l2), (.l2Classifier, l2Classifier), (.l2Words, l2Words),
            (.dropout, dropout), (.wordDropout, wordDropout),
            (.leafDropout, leafDropout), (.stateDropout, stateDropout),
            (.classifierHidden, classifierHidden.map(Double.init)),
            (.adagradReset, adagradReset.map(Double.init)), (.adagradEpsilon, adagradEpsilon),
            (.saveInterval, saveInterval), (.embeddingLRScale, embeddingLrScale),
            (.lrPlateau, lrPlateau.map(Double.init)), (.lrPlateauFactor, lrPlateauFactor),
            (.patience, patience.flatMap { $0 <= 0 ? nil : Double($0) }),
            (.wordLearningRate, wordLearningRate),
        ]
        return given.compactMap { setting, value in value.map { (setting, $0) } }
    }

    func run() throws {
        let status = try reportingErrors { try trainRun() }
        if status != 0 { throw ExitCode(status) }
    }

    func trainRun() throws -> Int32 {
        let session = try resume.map(resumeSession) ?? newSession()
        guard let session else { return 0 }
        // A cached parser only: training one would hold up the run; the dashboard trains one in
        // the background if a plain sentence needs it (docs/dashboard.md).
        let sentences = try ParserSource.sentences(
            explicit: parserOptions.parser, dataDirectory: session.dataPath, train: false)
        let given = try probe.enumerated().map {
            try Probe(parsing: $1, source: "--probe \($0 + 1)", sentences: sentences)
        }
        let config = session.config
        let train = config.trainingTrees(try Treebank.load(contentsOf: session.dataPath + "/train.txt"))
        let dev = config.sentimentTask.prepare(try Treebank.load(contentsOf: session.dataPath + "/dev.txt"))
        let compared = try compare.map(RunRecord.open)
        // The compared runs are scored on this run's dev trees, which the task decides.
        if let other = compared.first(where: { $0.config.sentimentTask != config.sentimentTask }) {
            throw CLIError(
                "--compare \(other.files.path) is a \(other.config.sentimentTask.rawValue)-task run and this one "
                    + "\(config.sentimentTask.rawValue); compare runs of one task")
        }
        // Before a new run's directory exists: a run refused later would leave only run.json.
        let vocabularySize =
            session.checkpoint?.vocabulary.count
            ?? Vocabulary.build(from: train, lowercase: config.lowercase).count
        do {
            try Trainer.check(config: config, train: train, dev: dev, vocabularySize: vocabularySize)
        } catch let error as TrainerError where session.run == nil && error.problem != nil {
            throw CLIError(error.problem?.flagDescription ?? error.description)
        }
        let run = try session.run ?? createRun(config)
        // A new run whose start fails from here on (vectors, probes, no terminal) is taken
        // away again; a resumed one is left as it was.
        var started = false
        defer { if !started { run.discardNewRun() } }
        return try start(
            session, run: run, train: train, dev: dev, given: given, sentences: sentences,
            compared: compared
        ) { started = true }
    }

    /// Trains `session` in `run`: in the dashboard, or headless; `began` is called once
    /// training has started.
    func start(
        _ session: Session, run: RunDirectory, train: Treebank, dev: Treebank, given: [Probe],
        sentences: ParsedSentences, compared: [RunRecord], began: () -> Void = {}
    ) throws -> Int32 {
        let config = session.config
        let probes = try runProbes(run.path, adding: given, sentences: sentences)

        let interactive = !headless && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
        if !interactive && !compared.isEmpty {
            printError("note: --compare shows in the dashboard only; ignored")
        }
        if interactive {
            let inbox = EventInbox()
            let trainer = try Trainer(
                config: config, train: train, dev: dev, run: run,
                resume: session.checkpoint, onEvent: { inbox.post($0) })
            var setup = DashboardSetup(
                config: trainer.config, dev: dev, devWordIDs: trainer.devWordIDs,
                runDirectory: run.path, stepsPerEpoch: trainer.stepsPerEpoch,
                startEpoch: trainer.startEpoch, embeddings: trainer.embeddingCoverage,
                vocabulary: trainer.vocabulary, probes: probes, mouse: !noMouse, sentences: sentences)
            if sentences.parser == nil {
                setup.parserJob = ParserSource.backgroundJob(
                    explicit: parserOptions.parser, dataDirectory: session.dataPath)
            }
            let watcher = compared.isEmpty ? nil : RunWatcher(records: compared, dev: dev)
            let status = Dashboard.run(
                setup: setup, control: trainer, inbox: inbox, watcher: watcher,
                start: { trainer.start() })
            if trainer.hasStarted { began() }
            return status
        }
        return try Headless.run(
            config: config, train: train, dev: dev, run: run, resume: session.checkpoint, started: began)
    }

    /// The run's probes (`RUN/probes.txt`, bad lines reported and skipped) followed by the
    /// new ones from `--probe`; the file is rewritten when that adds any.
    func runProbes(_ runPath: String, adding given: [Probe], sentences: ParsedSentences) throws -> [Probe] {
        let loaded = Probes.load(runDirectory: runPath, sentences: sentences)
        for problem in loaded.problems { printError("note: \(problem)") }
        var probes = loaded.probes
        for p in given where !probes.contains(p) { probes.append(p) }
        if probes.count > loaded.probes.count {
            if !loaded.problems.isEmpty {
                printError("note: the skipped lines are left out of the rewritten \(Probes.fileName)")
            }
            try Probes.save(probes, runDirectory: runPath)
        }
        return probes
    }

    /// What to train: the settings, and for `--resume` the owned run and its checkpoint.
    struct Session {
        var config: TrainingConfig
        /// The data directory as the user gave it (errors name files the way they typed them).
        var dataPath: String
        var run: RunDirectory? = nil
        var checkpoint: Checkpoint? = nil
    }

    /// A new run's settings from the flags; the run directory is checked now, created later.
    func newSession() throws -> Session {
        if let out { try RunDirectory.checkAvailable(out) }
        var config = (model ?? .rnn).trainingDefaults
        config.dim = dim ?? config.dim
        config.inputDim = inputDim ?? config.inputDim
        config.middle = middle
        config.epochs = epochs ?? config.epochs
        config.batchSize = batchSize ?? config.batchSize
        config.learningRate = learningRate ?? config.learningRate
        config.optimizer = optimizer ?? config.optimizer
        config.l2 = l2 ?? config.l2
        config.l2Classifier = l2Classifier ?? config.l2Classifier
        config.l2Words = l2Words ?? config.l2Words
        config.dropout = dropout ?? config.dropout
        config.wordDropout = wordDropout ?? config.wordDropout
        config.leafDropout = leafDropout ?? config.leafDropout
        config.stateDropout = stateDropout ?? config.stateDropout
        config.classifierHidden = classifierHidden ?? config.classifierHidden
        // A model's default reset means nothing to SGD: it keeps no sums.
        config.adagradReset = config.optimizer == .sgd ? adagradReset : adagradReset ?? config.adagradReset
        config.adagradEpsilon = config.optimizer == .sgd ? nil : adagradEpsilon ?? config.adagradEpsilon
        config.seed = seed ?? config.seed
        config.threads = threads ?? 0
        config.saveInterval = saveInterval
        config.lowercase = !keepCase
        // nil for fine: a fine run's run.json and checkpoints stay those of older runs.
        config.task = task == .binary ? .binary : nil
        config.neutralRoots = task == .binary ? neutralRoots ?? .keep : nil
        config.devEvery = devEvery ?? config.devEvery
        config.lrPlateau = lrPlateau
        config.lrPlateauFactor = lrPlateauFactor
        // 0 turns a model's default patience off.
        config.patience = patience == 0 ? nil : patience ?? config.patience
        config.wordOptimizer = wordOptimizer
        config.wordLearningRate = wordLearningRate
        if let embeddings {
            // The file decides the word width: the model's input width, or d for rnn and rnn2.
            let width = try PretrainedVectors.dimension(
                of: embeddings,
                maximum: TrainingConfig.maximum(config.model.defaultInputDim != nil ? .inputDim : .dim))
            if config.model.defaultInputDim != nil {
                config.inputDim = inputDim ?? width
            } else {
                config.dim = dim ?? width
            }
            config.embeddings = absolutePath(embeddings)
            config.embeddingLRScale = freezeEmbeddings ? 0 : embeddingLrScale
        }
        let dataPath = try SSTData.resolve(explicitDirectory: data) { printError($0) }
        config.dataDirectory = absolutePath(dataPath)
        return Session(config: config, dataPath: dataPath)
    }

    /// Takes the run over, then its settings, checkpoint and data; `nil` when it is finished.
    func resumeSession(_ path: String) throws -> Session? {
        let run = try RunDirectory.openExisting(path)
        var checkpoint: Checkpoint? = nil
        if FileManager.default.fileExists(atPath: run.files.lastPath) {
            checkpoint = try Checkpoint.read(from: run.files.lastPath)
        }
        guard var config = try checkpoint?.config ?? run.files.readConfig() else {
            throw CLIError("\(path): no last.safetensors or run.json to resume from")
        }
        try refuseChanges(to: config, in: path)
        if let epochs { config.epochs = epochs }
        if let threads { config.threads = threads }
        if let saveInterval { config.saveInterval = saveInterval }
        if let learningRate, var c = checkpoint, c.progress.learningRate != learningRate {
            printError("note: learning rate \(c.progress.learningRate) → \(learningRate) from --lr")
            c.progress.learningRate = learningRate
            checkpoint = c
        } else if let learningRate, checkpoint == nil {
            // Starting over from epoch 1 (no checkpoint yet): the rate is the run's starting one.
            config.learningRate = learningRate
        }
        let done = checkpoint?.progress.epochsCompleted ?? 0
        if let patience = config.patience, let p = checkpoint?.progress,
            (p.evaluationsWithoutGain ?? 0) >= patience
        {
            print(
                "\(TerminalText.sanitized(path)) stopped early: no dev \(config.sentimentTask.selectionName) gain "
                    + "in \(patience) evaluations "
                    + "(patience \(patience)); nothing to do")
            return nil
        }
        if done >= config.epochs {
            print(
                "\(TerminalText.sanitized(path)) has finished all \(done) epochs; nothing to do (pass --epochs N, N > \(done), to go on)"
            )
            return nil
        }
        let dataPath = try resumeData(stored: config.dataDirectory)
        config.dataDirectory = absolutePath(dataPath)
        if checkpoint == nil {
            printError(
                "note: \(TerminalText.sanitized(path)) stopped before its first checkpoint; starting it from epoch 1"
            )
        }
        return Session(config: config, dataPath: dataPath, run: run, checkpoint: checkpoint)
    }

    /// Refuses flags that would change what the run is.
    func refuseChanges(to c: TrainingConfig, in path: String) throws {
        var conflicts: [String] = []
        func check<T: Equatable>(_ flag: String, _ given: T?, _ stored: T) {
            if let given, given != stored { conflicts.append("\(flag) \(given) (the run has \(stored))") }
        }
        check("--model", model?.rawValue, c.model.rawValue)
        check("--dim", dim, c.dim)
        check("--middle", middle, c.middle ?? c.dim)
        check("--input-dim", inputDim, c.inputDim ?? c.dim)
        check("--task", task?.rawValue, c.sentimentTask.rawValue)
        if c.sentimentTask == .binary {
            check("--neutral-roots", neutralRoots?.rawValue, (c.neutralRoots ?? .drop).rawValue)
        } else if neutralRoots != nil {
            conflicts.append("--neutral-roots (the run is a fine-task run; it applies to --task binary)")
        }
        check("--batch-size", batchSize, c.batchSize)
        check("--optimizer", optimizer?.rawValue, c.optimizer.rawValue)
        check("--l2", l2, c.l2)
        check("--l2-classifier", l2Classifier, c.l2Classifier ?? c.l2)
        check("--l2-words", l2Words, c.l2Words ?? 0)
        check("--dropout", dropout, c.dropout ?? 0)
        check("--word-dropout", wordDropout, c.wordDropout ?? 0)
        check("--leaf-dropout", leafDropout, c.leafDropout ?? 0)
        check("--state-dropout", stateDropout, c.stateDropout ?? 0)
        check("--classifier-hidden", classifierHidden, c.hiddenWidth ?? 0)
        check("--adagrad-reset", adagradReset, c.adagradReset ?? 0)
        check("--adagrad-epsilon", adagradEpsilon, c.adagradEpsilon ?? TrainingConfig.defaultAdagradEpsilon)
        check("--dev-every", devEvery?.description, c.devEvery?.description ?? "epoch ends only")
        check("--lr-plateau", lrPlateau, c.lrPlateau ?? 0)
        check(
            "--lr-plateau-factor", lrPlateauFactor,
            c.lrPlateauFactor ?? (c.lrPlateau == nil ? 0 : TrainingConfig.defaultPlateauFactor))
        check("--patience", patience, c.patience ?? 0)
        check("--word-optimizer", wordOptimizer?.rawValue, c.wordOptimizer?.rawValue ?? "none")
        check(
            "--word-lr", wordLearningRate, c.wordLearningRate ?? (c.wordOptimizer == nil ? 0 : c.learningRate)
        )
        check("--seed", seed, c.seed)
        if keepCase && c.lowercase { conflicts.append("--keep-case (the run lower-cases words)") }
        if let embeddings, absolutePath(embeddings) != c.embeddings {
            conflicts.append("--embeddings \(embeddings) (the run has \(c.embeddings ?? "none"))")
        }
        check("--embedding-lr-scale", freezeEmbeddings ? 0 : embeddingLrScale, c.embeddingLRScale ?? 1)
        guard conflicts.isEmpty else {
            throw CLIError(
                "\(path): cannot change what a run is on --resume: \(conflicts.joined(separator: ", ")). "
                    + "Start a new run with --out DIR instead.")
        }
    }

    /// The data directory of a resumed run: `--data` if given (a moved copy), else the run's own.
    func resumeData(stored: String?) throws -> String {
        if let data {
            let given = try SSTData.resolve(explicitDirectory: data) { printError($0) }
            if let stored, stored != absolutePath(given) {
                printError(
                    TerminalText.sanitized(
                        "note: reading the data from \(absolutePath(given)) (--data), not \(stored)"))
            }
            return given
        }
        guard let stored else {
            // Runs from before run.json did not record their data: use the default place.
            return try SSTData.resolve(explicitDirectory: nil) { printError($0) }
        }
        if let missing = SSTData.requiredFiles.first(where: {
            !FileManager.default.fileExists(atPath: stored + "/" + $0)
        }) {
            throw CLIError(
                "the run's data directory \(stored) has no \(missing) (moved?); "
                    + "pass --data DIR with train.txt and dev.txt")
        }
        return stored
    }

    /// Creates the new run's directory: `--out`, or a fresh name under `runs/`.
    func createRun(_ config: TrainingConfig) throws -> RunDirectory {
        if let out { return try RunDirectory.create(at: out, config: config) }
        if let name {
            let plain = "runs/" + name
            if !FileManager.default.fileExists(atPath: plain) {
                do {
                    return try RunDirectory.create(at: plain, config: config)
                } catch  where FileManager.default.fileExists(atPath: plain) {
                    // Another run took the name first: fall through to a timed name.
                }
            }
            let run = try RunDirectory.createUnique(base: "runs/\(name)-\(runTimestamp())", config: config)
            printError(TerminalText.sanitized("note: \(plain) is taken; this run is \(run.path)"))
            return run
        }
        return try RunDirectory.createUnique(
            base: "runs/\(config.model.rawValue)-\(runTimestamp())",
            config: config)
    }
}

/// Why `name` cannot name a run directory under `runs/`, or `nil`.
func runNameProblem(_ name: String) -> String? {
    if name.isEmpty { return "a run name cannot be empty" }
    if name.contains("/") { return "a run name cannot contain '/' (use --out DIR for a path)" }
    if name.hasPrefix(".") { return "a run name cannot start with '.'" }
    if name.utf8.count > 200 { return "a run name is at most 200 bytes" }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        return "a run name cannot contain control characters"
    }
    return nil
}

/// The time a run starts, as in `runs/rnn-20261204-231512`: sorts by time, and is readable.
func runTimestamp() -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyyMMdd-HHmmss"
    f.locale = Locale(identifier: "en_US_POSIX")
    return f.string(from: Date())
}

/// `path` made absolute against the working directory and standardized.
func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}
