import Foundation
import ZIPFoundation

/// Everything needed to evaluate a model or continue its training, in one file.
///
/// ## Format (version 3)
/// A safetensors file (see `SafeTensors`), so `safetensors.numpy.load_file` or 15 lines of
/// numpy can read it:
/// - Tensors, all `F32`, row-major, in `ParameterLayout` order: `L` [V, x] (x = d unless
///   `model_config.inputDim` says otherwise), the model's own (rnn: `W` [d, 2d], `b` [d];
///   rnn2: also `W2` [m, d], `b2` [m]; rntn: `V` [d, 2d, 2d], `W`, `b`; treelstm: `W_iou`
///   [3d, x], `U_iffou` [5d, 2d], `b_ifou` [4d]), then `U` [5, d or m], `bs` [5]; with
///   AdaGrad also `adagrad.<name>` for each, holding the running sum of squared gradients.
/// - `__metadata__` (all values strings): `format` = `sentree-checkpoint`,
///   `format_version` = `3`, `training_config`, `model_config`, `progress`, `history`
///   (JSON), `vocabulary` (JSON array of words in id order; id 0 is `<unk>`), `lowercase`
///   (`true`/`false`), `crc32` (decimal CRC-32 of the data section, to detect corruption),
///   `crc32_header` (decimal CRC-32 of the rest of the header, see `headerChecksum`),
///   and, when `L` started from pretrained vectors, `embeddings` (JSON: file, dimension,
///   words and tokens covered).
///
/// The model: `h = relu(W [h_left; h_right] + b)` at internal nodes, `h = L[word]` at
/// leaves, (`h2 = relu(W2 h + b2)` for rnn2), `softmax(U h + bs)` at every node.
///
/// ```python
/// import json, struct, numpy as np
/// raw = open("best.safetensors", "rb").read()
/// n = struct.unpack("<Q", raw[:8])[0]; header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
/// def tensor(name):
///     t = header[name]; a, b = t["data_offsets"]
///     return np.frombuffer(data[a:b], dtype="<f4").reshape(t["shape"])
/// vocab = json.loads(header["__metadata__"]["vocabulary"])
/// L, W, b, U, bs = (tensor(k) for k in ["L", "W", "b", "U", "bs"])
/// ```
public struct Checkpoint: Sendable, Equatable {
    public static let format = "sentree-checkpoint"
    /// 2 added rntn, treelstm, `inputDim` and `embeddings`; 3 added `crc32_header`, so that a
    /// changed vocabulary word or `epochsCompleted` is caught too. Versions 1 and 2 read
    /// unchanged (their headers unchecked, as they were written).
    public static let version = 3

    public var config: TrainingConfig
    public var model: ModelConfig
    /// Flat parameters in `ParameterLayout(model)` order.
    public var parameters: [Float]
    /// AdaGrad's Σg² in the same layout, or empty (SGD).
    public var optimizerState: [Float]
    /// Words in id order; entry 0 is `<unk>`.
    public var vocabulary: [String]
    public var lowercase: Bool
    public var progress: TrainingProgress
    public var history: [EpochRecord]
    /// The pretrained vectors `L` started from and how much of the vocabulary they covered.
    public var embeddings: EmbeddingCoverage? = nil

    public init(
        config: TrainingConfig, model: ModelConfig, parameters: [Float], optimizerState: [Float],
        vocabulary: [String], lowercase: Bool, progress: TrainingProgress, history: [EpochRecord]
    ) {
        self.config = config; self.model = model; self.parameters = parameters
        self.optimizerState = optimizerState; self.vocabulary = vocabulary; self.lowercase = lowercase
        self.progress = progress; self.history = history
    }

    /// The file's bytes.
    public func encoded() throws -> Data {
        let layout = ParameterLayout(model)
        precondition(parameters.count == layout.count, "parameters do not match the model layout")
        var tensors: [(name: String, shape: [Int], values: [Float])] = layout.tensors.map {
            ($0.name, $0.shape, Array(parameters[$0.range]))
        }
        if !optimizerState.isEmpty {
            tensors += layout.tensors.map {
                ("adagrad." + $0.name, $0.shape, Array(optimizerState[$0.range]))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        var metadata = [
            "format": Self.format, "format_version": String(Self.version),
            "training_config": try json(config), "model_config": try json(model),
            "progress": try json(progress), "history": try json(history),
            "vocabulary": try json(vocabulary), "lowercase": lowercase ? "true" : "false",
        ]
        if let embeddings { metadata["embeddings"] = try json(embeddings) }
        // The data CRC covers the data section, which does not depend on the metadata; the
        // header CRC covers everything else, the data CRC included.
        let draft = try SafeTensors.parse(
            try SafeTensors.encode(tensors: tensors, metadata: metadata), path: "checkpoint being written")
        metadata["crc32"] = String(draft.data.crc32(checksum: 0))
        metadata["crc32_header"] = String(Self.headerChecksum(entries: draft.entries, metadata: metadata))
        return try SafeTensors.encode(tensors: tensors, metadata: metadata)
    }

    /// CRC-32 of the header in a canonical form, independent of JSON spacing and key order:
    /// each metadata entry but `crc32_header` as `key US value RS`, keys in code-point order,
    /// then each tensor as `name US dtype US shape US start-end RS`, by name (US = 0x1F,
    /// RS = 0x1E). The shapes and offsets are checked against the layout anyway; the
    /// metadata's JSON is otherwise only checked for being well formed.
    public static func headerChecksum(entries: [SafeTensors.Entry], metadata: [String: String]) -> UInt32 {
        var text = ""
        for key in metadata.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        )
        where key != "crc32_header" {
            text += key + "\u{1F}" + metadata[key]! + "\u{1E}"
        }
        for e in entries.sorted(by: {
            $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars)
        }) {
            let shape = e.shape.map(String.init).joined(separator: ",")
            text +=
                "\(e.name)\u{1F}\(e.dtype)\u{1F}\(shape)\u{1F}\(e.range.lowerBound)-\(e.range.upperBound)\u{1E}"
        }
        return Data(text.utf8).crc32(checksum: 0)
    }

    /// Writes the checkpoint atomically: a failure at any point leaves the old file intact.
    public func write(to path: String) throws {
        try write(to: path, fault: nil)
    }

    /// `write(to:)` that fails half-way with `fault` as `errno`, if given (tests).
    func write(to path: String, fault: Int32?) throws {
        try AtomicFile.write(try encoded(), to: path, fault: fault)
    }

    /// Reads and fully validates a checkpoint.
    public static func read(from path: String) throws -> Checkpoint {
        try decode(SafeTensors.read(path), path: path)
    }

    /// Decodes and validates checkpoint bytes; `path` names the source in errors.
    public static func decode(_ bytes: Data, path: String) throws -> Checkpoint {
        func fail(_ message: String) -> CheckpointError { CheckpointError(path, message) }
        let file = try SafeTensors.parse(bytes, path: path)
        let meta = file.metadata
        guard meta["format"] == format else {
            throw fail(
                "not a sentree checkpoint (metadata format is \(meta["format"].map { "'\($0)'" } ?? "missing"))"
            )
        }
        guard let v = meta["format_version"].flatMap(Int.init) else { throw fail("missing format_version") }
        guard v <= version else {
            throw fail(
                "checkpoint format version \(v) is newer than this sentree reads (\(version)); upgrade sentree"
            )
        }
        guard let crc = meta["crc32"].flatMap(UInt32.init), crc == file.data.crc32(checksum: 0) else {
            throw fail("checksum mismatch: the tensor data is corrupted")
        }
        if v >= 3 {
            guard let crc = meta["crc32_header"].flatMap(UInt32.init),
                crc == headerChecksum(entries: file.entries, metadata: meta)
            else {
                throw fail("checksum mismatch: the header (settings, progress or vocabulary) is corrupted")
            }
        }
        let decoder = JSONDecoder()
        func field<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            guard let text = meta[key] else { throw fail("metadata is missing '\(key)'") }
            do { return try decoder.decode(T.self, from: Data(text.utf8)) } catch {
                throw fail("metadata '\(key)' is malformed")
            }
        }
        let config = try field("training_config", TrainingConfig.self)
        let model = try field("model_config", ModelConfig.self)
        let progress = try field("progress", TrainingProgress.self)
        if let problem = progress.problem { throw fail("metadata 'progress': \(problem)") }
        let history = try field("history", [EpochRecord].self)
        for record in history {
            if let problem = record.problem { throw fail("metadata 'history': \(problem)") }
        }
        let vocabulary = try field("vocabulary", [String].self)
        guard model.dim > 0, model.middle > 0, model.classes > 0, model.vocabularySize > 0,
            model.inputWidth > 0, model.inputWidth < 1 << 16,
            model.dim < 1 << 16, model.middle < 1 << 16, model.classes < 1 << 16,
            model.vocabularySize < 1 << 28, (model.classifierHidden ?? 1) > 0,
            (model.classifierHidden ?? 1) < 1 << 16
        else {
            throw fail("model_config has impossible sizes")
        }
        // Whatever shows a prediction (predict, eval, the dashboard) knows the task's labels, and
        // sentree never writes another count: `predict` trapped on a 7-class file (found by fuzzing).
        guard model.classes == config.sentimentTask.classes else {
            throw fail(
                config.sentimentTask == .fine
                    ? "model_config has \(model.classes) classes; sentree models have the 5 SST sentiment classes"
                    : "model_config has \(model.classes) classes; a binary-task model has the 3 classes "
                        + "negative, neutral and positive")
        }
        guard vocabulary.count == model.vocabularySize, vocabulary.first == Vocabulary.unknownToken else {
            throw fail(
                "vocabulary has \(vocabulary.count) words, L has \(model.vocabularySize) rows (or <unk> is not first)"
            )
        }
        // `Vocabulary(words:)`, which every user of a checkpoint calls, traps on duplicates.
        do { _ = try Vocabulary(validating: vocabulary, lowercase: meta["lowercase"] != "false") } catch {
            throw fail("metadata 'vocabulary': \(error)")
        }
        // Every word was a treebank token once, and is printed and matched as one: a word
        // that no treebank could hold (empty, spaced, with ESC or another control) is damage.
        for (index, word) in vocabulary.enumerated().dropFirst() {
            if let problem = InputText.problem(inVocabularyWord: word) {
                throw fail("metadata 'vocabulary': word \(index) \(problem)")
            }
        }
        let layout = ParameterLayout(model)
        // Before allocating: the parameters must fit in the data section.
        guard layout.count <= file.data.count / 4 else {
            throw fail("model_config needs \(layout.count) parameters, more than the file holds")
        }
        func tensors(prefix: String) throws -> [Float] {
            var values: [Float] = []
            values.reserveCapacity(layout.count)
            for t in layout.tensors {
                guard let e = file.entry(prefix + t.name) else {
                    throw fail("missing tensor '\(prefix + t.name)'")
                }
                guard e.dtype == "F32", e.shape == t.shape else {
                    throw fail("tensor '\(e.name)' is \(e.dtype) \(e.shape), expected F32 \(t.shape)")
                }
                let floats = SafeTensors.floats(e, in: file.data)
                // Training never saves a NaN or an infinity (`TrainingLoop.save` refuses them),
                // and a model that holds one predicts `nan` for everything.
                let bad = floats.count { !$0.isFinite }
                guard bad == 0 else {
                    throw fail(
                        "tensor '\(e.name)' holds \(bad) values that are not finite numbers (NaN or "
                            + "infinity); no finished training step writes such a file")
                }
                values += floats
            }
            return values
        }
        let parameters = try tensors(prefix: "")
        let optimizerState = file.entry("adagrad.L") == nil ? [] : try tensors(prefix: "adagrad.")
        var checkpoint = Checkpoint(
            config: config, model: model, parameters: parameters,
            optimizerState: optimizerState, vocabulary: vocabulary,
            lowercase: meta["lowercase"] != "false", progress: progress, history: history)
        if meta["embeddings"] != nil {
            checkpoint.embeddings = try field("embeddings", EmbeddingCoverage.self)
        }
        return checkpoint
    }
}

/// Where training stands, saved with every checkpoint so `--resume` continues exactly.
public struct TrainingProgress: Codable, Sendable, Equatable {
    public var epochsCompleted: Int
    /// Minibatches done in the current, unfinished epoch (0 at an epoch boundary).
    public var stepInEpoch: Int
    public var globalStep: Int
    /// The learning rate in force (the user may have changed it during training).
    public var learningRate: Double
    /// The dev score `best` was picked by: fine root, or binary root for the binary task
    /// (`SentimentTask.selectionScore`); -1 before the first evaluation.
    public var bestFineRoot: Double
    public var bestEpoch: Int
    /// Seconds spent training (pauses and evaluations excluded).
    public var elapsedSeconds: Double
    /// The global step of the best evaluation, in runs that score dev inside epochs
    /// (`devEvery`; `nil` otherwise: the best is the end of `bestEpoch`). `bestEpoch` is then
    /// the epoch the best evaluation fell in, possibly the unfinished one.
    public var bestStep: Int? = nil
    /// Dev evaluations in a row without a gain in fine root, in runs with `patience` or
    /// `lrPlateau` (`nil` otherwise).
    public var evaluationsWithoutGain: Int? = nil
    /// The same count, started again at each plateau cut of the learning rate (`lrPlateau`).
    public var evaluationsSinceCut: Int? = nil

    public init(
        epochsCompleted: Int, stepInEpoch: Int, globalStep: Int, learningRate: Double,
        bestFineRoot: Double, bestEpoch: Int, elapsedSeconds: Double
    ) {
        self.epochsCompleted = epochsCompleted; self.stepInEpoch = stepInEpoch; self.globalStep = globalStep
        self.learningRate = learningRate; self.bestFineRoot = bestFineRoot; self.bestEpoch = bestEpoch
        self.elapsedSeconds = elapsedSeconds
    }
}

extension TrainingProgress {
    /// The largest `globalStep` a checkpoint may hold: far beyond any run (a million epochs
    /// of a million steps is 2⁴⁰), far below where `+= 1` or a conversion could overflow.
    public static let maximumGlobalStep = 1 << 48

    /// Why these values cannot be a run's position, naming the key, or `nil`. A resumed run
    /// counts on from them: out of range they trapped, trained at a negative rate or logged
    /// epochs that never ran. (`stepInEpoch` is checked against the epoch's length by the
    /// trainer, which knows it.)
    public var problem: String? {
        let epochs = TrainingConfig.maximum(.epochs)
        if !(0 ... epochs).contains(epochsCompleted) {
            return "epochsCompleted must be from 0 to \(epochs) (got \(epochsCompleted))"
        }
        if !(0 ... Self.maximumGlobalStep).contains(stepInEpoch) {
            return "stepInEpoch must be from 0 to \(Self.maximumGlobalStep) (got \(stepInEpoch))"
        }
        if !(0 ... Self.maximumGlobalStep).contains(globalStep) {
            return "globalStep must be from 0 to \(Self.maximumGlobalStep) (got \(globalStep))"
        }
        if let lr = TrainingConfig.problem(.learningRate, learningRate) {
            return "learningRate \(lr.requirement) (got \(learningRate))"
        }
        // -1 before the first evaluation, else an accuracy.
        if !(bestFineRoot == -1 || (0 ... 1).contains(bestFineRoot)) {
            return "bestFineRoot must be -1 (none yet) or from 0 to 1 (got \(bestFineRoot))"
        }
        // With evaluations inside epochs the best may fall in the epoch under way.
        let latest = epochsCompleted + (bestStep != nil && stepInEpoch > 0 ? 1 : 0)
        if !(0 ... latest).contains(bestEpoch) {
            return
                "bestEpoch must be from 0 to \(latest == epochsCompleted ? "epochsCompleted" : "the epoch under way") "
                + "(\(latest)) (got \(bestEpoch))"
        }
        if let bestStep, !(0 ... globalStep).contains(bestStep) {
            return "bestStep must be from 0 to globalStep (\(globalStep)) (got \(bestStep))"
        }
        for (key, count) in [
            ("evaluationsWithoutGain", evaluationsWithoutGain), ("evaluationsSinceCut", evaluationsSinceCut),
        ] {
            if let count, !(0 ... Self.maximumGlobalStep).contains(count) {
                return "\(key) must be from 0 to \(Self.maximumGlobalStep) (got \(count))"
            }
        }
        if !(elapsedSeconds >= 0 && elapsedSeconds.isFinite) {
            return "elapsedSeconds must be zero or a positive number (got \(elapsedSeconds))"
        }
        return nil
    }
}

/// One epoch's results: a line of `metrics.jsonl` and an entry of a checkpoint's history.
/// Accuracies are fractions in 0…1.
public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var fineAll: Double
    public var fineRoot: Double
    public var binaryRoot: Double
    public var binaryAll: Double
    public var seconds: Double
    public var treesPerSecond: Double
    public var learningRate: Double

    enum CodingKeys: String, CodingKey {
        case epoch, seconds
        case trainLoss = "train_loss", fineAll = "fine_all", fineRoot = "fine_root"
        case binaryRoot = "binary_root", binaryAll = "binary_all"
        case treesPerSecond = "trees_per_second", learningRate = "learning_rate"
    }

    public init(
        epoch: Int, trainLoss: Double, fineAll: Double, fineRoot: Double, binaryRoot: Double,
        binaryAll: Double, seconds: Double, treesPerSecond: Double, learningRate: Double
    ) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.fineAll = fineAll; self.fineRoot = fineRoot
        self.binaryRoot = binaryRoot; self.binaryAll = binaryAll; self.seconds = seconds
        self.treesPerSecond = treesPerSecond; self.learningRate = learningRate
    }
}
