// Checkpoint metadata values: a valid checkpoint with one metadata value replaced by the
// input, both checksums made to match, decoded and then resumed for one epoch, as
// `sentree train --resume` does. The `checkpoint` target mutates the container; this one
// reaches the values behind the checksums: negative or huge counters, rates, settings,
// words with controls, histories out of range.
//
// The first input byte picks the metadata key, the rest is its new value.
//
// Invariants beyond "does not crash":
// - a rejection is a `CheckpointError` naming the file, or (for what only the trainer can
//   judge) a `TrainerError`;
// - a decoded checkpoint holds a position and history in range and words a treebank
//   could hold;
// - it resumes: one epoch trains (or stops as diverged), numbered right after the one the
//   checkpoint completed, with a finite loss.

import Foundation
import SentreeCore

private let keys = [
    "training_config", "model_config", "progress", "history", "vocabulary", "lowercase",
    "embeddings", "format_version",
]
private let path = "fuzz.safetensors"
private let words = ["<unk>", "the", "a", "dull", "fun"]

/// The checkpoint every input edits: an rnn of width 2 after one epoch. Made for each input:
/// LeakSanitizer takes the storage of a global built on first use for a leak.
private func makeBase() -> SafeTensors.File {
    var config = TrainingConfig()
    config.dim = 2
    config.epochs = 1
    config.batchSize = 2
    config.seed = 3
    let model = ModelConfig(kind: .rnn, dim: 2, vocabularySize: words.count)
    let layout = ParameterLayout(model)
    let progress = TrainingProgress(
        epochsCompleted: 1, stepInEpoch: 0, globalStep: 2, learningRate: 0.02, bestFineRoot: 0.5,
        bestEpoch: 1, elapsedSeconds: 0.01)
    let history = [
        EpochRecord(
            epoch: 1, trainLoss: 1.5, fineAll: 0.5, fineRoot: 0.5, binaryRoot: 0.5, binaryAll: 0.5,
            seconds: 0.01, treesPerSecond: 200, learningRate: 0.02)
    ]
    let checkpoint = Checkpoint(
        config: config, model: model, parameters: layout.initialParameters(seed: 3),
        optimizerState: layout.initialParameters(seed: 4).map { abs($0) + 0.01 }, vocabulary: words,
        lowercase: true, progress: progress, history: history)
    return try! SafeTensors.parse(try! checkpoint.encoded(), path: path)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpointMetadata(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let base = makeBase()
    var metadata = base.metadata
    metadata[keys[Int(bytes[0]) % keys.count]] = String(
        decoding: fuzzData(bytes + 1, count - 1), as: UTF8.self)
    let checkpoint: Checkpoint
    do {
        checkpoint = try Checkpoint.decode(try withChecksums(metadata, base: base), path: path)
    } catch let error as CheckpointError {
        invariant(error.path == path && !error.message.isEmpty, "bad error \(error)")
        return 0
    } catch {
        fatalError("decode threw \(type(of: error)), not a CheckpointError: \(error)")
    }
    let progress = checkpoint.progress
    invariant(progress.problem == nil, "a position out of range decodes: \(progress.problem!)")
    for record in checkpoint.history {
        invariant(record.problem == nil, "a history out of range decodes: \(record.problem!)")
    }
    for word in checkpoint.vocabulary.dropFirst() {
        invariant(
            InputText.problem(inVocabularyWord: word) == nil, "a bad word decodes: \(word.debugDescription)")
    }
    resumeOneEpoch(checkpoint)
    return 0
}

/// What `train --resume RUN --epochs N+1 --threads 1` does with the checkpoint.
private func resumeOneEpoch(_ checkpoint: Checkpoint) {
    var given = checkpoint.config
    given.epochs = checkpoint.progress.epochsCompleted + 1
    given.threads = 1
    let epochs = Locked<[EpochResult]>([])
    let states = Locked<[TrainerState]>([])
    let treebank = try! Treebank.parse("(3 (2 the) (4 fun))\n(1 (2 a) (1 dull))\n", source: "fuzz")
    let trainer: Trainer
    do {
        trainer = try Trainer(
            config: given, train: treebank, dev: treebank, run: nil, resume: checkpoint,
            onEvent: { event in
                if case .epoch(let r) = event { epochs.withLock { $0.append(r) } }
                if case .state(let s) = event { states.withLock { $0.append(s) } }
            })
    } catch let error as TrainerError {
        invariant(!error.description.isEmpty, "a trainer error without a message")
        return
    } catch {
        fatalError("Trainer threw \(type(of: error)), not a TrainerError: \(error)")
    }
    trainer.start()
    trainer.wait()
    let trained = epochs.withLock { $0 }
    if states.withLock({ $0.last }) == .diverged { return }
    invariant(
        trained.map(\.epoch) == [checkpoint.progress.epochsCompleted + 1],
        "resumed after epoch \(checkpoint.progress.epochsCompleted), trained \(trained.map(\.epoch))")
    invariant(trained.allSatisfy { $0.trainLoss.isFinite && $0.trainLoss >= 0 }, "loss \(trained)")
}

/// The base file with `metadata`, its header checksum made to match (the tensors, and so
/// the data checksum, are unchanged).
private func withChecksums(_ metadata: [String: String], base: SafeTensors.File) throws -> Data {
    var metadata = metadata
    let tensors = base.entries.map { ($0.name, $0.shape, SafeTensors.floats($0, in: base.data)) }
    let draft = try SafeTensors.parse(
        try SafeTensors.encode(tensors: tensors, metadata: metadata), path: path)
    metadata["crc32_header"] = String(Checkpoint.headerChecksum(entries: draft.entries, metadata: metadata))
    return try SafeTensors.encode(tensors: tensors, metadata: metadata)
}
