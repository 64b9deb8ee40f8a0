import Foundation

/// A run to export, and the sweep trial it is, if any.
public struct ExportedRun: Sendable {
    public let record: RunRecord
    /// The sweep folder and the trial's name, for runs of a sweep.
    public let sweep: String?
    public let trial: String?

    public init(record: RunRecord, sweep: String? = nil, trial: String? = nil) {
        self.record = record
        self.sweep = sweep
        self.trial = trial
    }
}

/// Rows for spreadsheets and pandas: runs' settings beside their metrics.
///
/// Numbers are written in Swift's shortest round-trip form, so a cell reads back as the
/// exact value in `metrics.jsonl`.
public enum RunTable {
    /// The settings columns, after `sweep`, `trial` and `run`. Every setting that changes
    /// training has one: `summary` groups a sweep's runs by these cells (the seed aside), so a
    /// missing one would pool trials that differ in it.
    public static let configColumns = [
        "model", "dim", "middle", "input_dim", "epochs", "batch_size", "lr", "optimizer", "l2",
        "l2_classifier", "l2_words", "dropout", "word_dropout", "adagrad_reset", "adagrad_epsilon",
        "embeddings", "embedding_lr_scale", "leaf_dropout", "state_dropout", "classifier_hidden",
        "word_optimizer", "word_lr", "dev_every", "lr_plateau", "lr_plateau_factor", "patience", "task",
        "neutral_roots", "lowercase", "data", "seed",
    ]
    public static let metricColumns = ["fine_all", "fine_root", "binary_root", "binary_all"]
    public static let epochColumns =
        ["epoch", "train_loss"] + metricColumns
        + ["seconds", "trees_per_second", "learning_rate"]

    static func configCells(_ c: TrainingConfig) -> [String] {
        // The values training used: unset options are shown as their effective value.
        [
            c.model.rawValue, String(c.dim), c.model == .rnn2 ? String(c.middle ?? c.dim) : "",
            c.inputDim.map(String.init) ?? "", String(c.epochs), String(c.batchSize), number(c.learningRate),
            c.optimizer.rawValue, number(c.l2), number(c.l2Classifier ?? c.l2), number(c.l2Words ?? 0),
            number(c.dropout ?? 0), number(c.wordDropout ?? 0),
            c.optimizer == .adagrad ? String(c.adagradReset ?? 0) : "",
            c.optimizer == .adagrad ? number(c.adagradEpsilon ?? TrainingConfig.defaultAdagradEpsilon) : "",
            c.embeddings ?? "", c.embeddings == nil ? "" : number(c.embeddingLRScale ?? 1),
        ] + recipeCells(c) + [String(c.lowercase), c.dataDirectory ?? "", String(c.seed)]
    }

    /// The recipe's settings (issue 20) and the task; empty where the setting is off.
    static func recipeCells(_ c: TrainingConfig) -> [String] {
        [
            number(c.leafDropout ?? 0), number(c.stateDropout ?? 0), String(c.hiddenWidth ?? 0),
            c.wordOptimizer?.rawValue ?? "",
            c.wordOptimizer == nil ? "" : number(c.wordLearningRate ?? c.learningRate),
            c.devEvery?.description ?? "", c.lrPlateau.map(String.init) ?? "",
            c.lrPlateau == nil ? "" : number(c.lrPlateauFactor ?? TrainingConfig.defaultPlateauFactor),
            c.patience.map(String.init) ?? "", c.sentimentTask.rawValue,
            c.sentimentTask == .binary ? (c.neutralRoots ?? .drop).rawValue : "",
        ]
    }

    static func number(_ v: Double) -> String { String(v) }

    static func epochCells(_ e: EpochRecord) -> [String] {
        [
            String(e.epoch), number(e.trainLoss), number(e.fineAll), number(e.fineRoot), number(e.binaryRoot),
            number(e.binaryAll), number(e.seconds), number(e.treesPerSecond), number(e.learningRate),
        ]
    }

    static func runCells(_ run: ExportedRun) -> [String] {
        [run.sweep ?? "", run.trial ?? "", run.record.files.path]
    }

    /// The columns after `epochColumns` when a run scored dev inside epochs (`--dev-every`).
    public static let evaluationColumns = ["position", "kind"]

    /// An evaluation inside an epoch, in the epoch columns: it has no mean loss and no time
    /// of its own.
    static func evaluationCells(_ e: EvaluationRecord) -> [String] {
        [
            String(e.epoch), "", number(e.fineAll), number(e.fineRoot), number(e.binaryRoot),
            number(e.binaryAll), "", "", number(e.learningRate),
        ]
    }

    /// One row per run and logged epoch. Runs that scored dev inside epochs also get a row
    /// per such evaluation, in the order they happened, and then every row has the columns
    /// `position` (in epochs: 8 for the end of epoch 8, 8.25 a quarter into epoch 9) and
    /// `kind` (`epoch` or `evaluation`); without them the table is as it always was.
    public static func epochs(_ runs: [ExportedRun]) -> CSVTable {
        let inner = runs.contains { !$0.record.evaluations.isEmpty }
        var table = CSVTable(
            header: ["sweep", "trial", "run"] + configColumns + epochColumns
                + (inner ? evaluationColumns : []))
        for run in runs {
            let leading = runCells(run) + configCells(run.record.config)
            guard inner else {
                for e in run.record.epochs { table.rows.append(leading + epochCells(e)) }
                continue
            }
            for entry in timeOrder(run.record.epochs, run.record.evaluations) {
                switch entry {
                case .epoch(let e):
                    table.rows.append(leading + epochCells(e) + [String(e.epoch), "epoch"])
                case .evaluation(let e):
                    table.rows.append(leading + evaluationCells(e) + [number(e.position), "evaluation"])
                }
            }
        }
        return table
    }

    enum Entry {
        case epoch(EpochRecord), evaluation(EvaluationRecord)
        var at: Double {
            switch self {
            case .epoch(let e): Double(e.epoch)
            case .evaluation(let e): e.position
            }
        }
    }

    /// Epoch ends and inner evaluations in the order they happened (each list is in order).
    static func timeOrder(_ epochs: [EpochRecord], _ evaluations: [EvaluationRecord]) -> [Entry] {
        inTimeOrder(epochs.map(Entry.epoch) + evaluations.map(Entry.evaluation), at: \.at)
    }

    /// One `run` row per run at its best evaluation (by dev fine root, binary root for the
    /// binary task, as `best` is chosen; `best_epoch` 8.25 for one a quarter into epoch 9,
    /// which has no `train_loss`), then,
    /// for runs of a sweep, one `group` row per set of trials that differ only in the seed:
    /// the mean and sample standard deviation of each metric at the runs' best epochs.
    public static func summary(_ runs: [ExportedRun]) -> CSVTable {
        let sd = metricColumns.map { $0 + "_sd" }
        var table = CSVTable(
            header: ["kind", "sweep", "trial", "run"] + configColumns
                + ["runs", "epochs_done", "best_epoch", "train_loss"] + metricColumns + sd)
        var groups: [(key: [String], runs: [ExportedRun])] = []
        for run in runs {
            guard let best = run.record.best else {
                table.rows.append(
                    ["run"] + runCells(run) + configCells(run.record.config)
                        + ["1", "0", "", ""] + Array(repeating: "", count: metricColumns.count * 2))
                continue
            }
            let metrics = [best.fineAll, best.fineRoot, best.binaryRoot, best.binaryAll]
            table.rows.append(
                ["run"] + runCells(run) + configCells(run.record.config)
                    + [
                        "1", String(run.record.epochs.count), best.place,
                        best.trainLoss.map(number) ?? "",
                    ]
                    + metrics.map(number) + Array(repeating: "", count: sd.count))
            guard let sweep = run.sweep else { continue }
            var config = configCells(run.record.config)
            config[config.count - 1] = ""  // the seed
            let key = [sweep] + config
            if let i = groups.firstIndex(where: { $0.key == key }) {
                groups[i].runs.append(run)
            } else {
                groups.append((key, [run]))
            }
        }
        for group in groups {
            let bests = group.runs.compactMap(\.record.best)
            let columns: [[Double]] = [
                bests.map(\.fineAll), bests.map(\.fineRoot), bests.map(\.binaryRoot),
                bests.map(\.binaryAll),
            ]
            let means = columns.map { number(mean($0)) }
            let sds = columns.map { bests.count > 1 ? number(standardDeviation($0)) : "" }
            let seeds = group.runs.map { String($0.record.config.seed) }.joined(separator: " ")
            var config = Array(group.key.dropFirst())
            config[config.count - 1] = seeds
            table.rows.append(
                ["group", group.key[0], "", ""] + config
                    + [String(bests.count), "", "", ""] + means + sds)
        }
        return table
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

    /// The sample standard deviation (n − 1), as seed-to-seed spread is usually reported.
    static func standardDeviation(_ xs: [Double]) -> Double {
        let m = mean(xs)
        return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
    }
}

/// A table written as RFC 4180 CSV.
public struct CSVTable: Sendable, Equatable {
    public let header: [String]
    public var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public var text: String {
        ([header] + rows).map { $0.map(Self.quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
