// run.json reader: `RunRecord.open` on a run directory whose `run.json` is the input, as
// `sentree view`, `train --compare` and `train --resume` (without a checkpoint) read it.
//
// Invariants beyond "does not crash":
// - a rejection is a `CheckpointError` naming the run's `run.json`;
// - what reads is described (header, runs table) without trapping, and validation of it
//   either passes or names a problem; settings that pass are in their documented ranges;
// - the settings, written back as JSON, read back the same.

import Foundation
import SentreeCore

private let configPath = scratchPath("runjson", "run.json")
private let directory = String(configPath.dropLast("/run.json".count))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunJSON(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard (try? fuzzData(bytes, count).write(to: URL(fileURLWithPath: configPath))) != nil else {
        fatalError("cannot write \(configPath)")
    }
    let record: RunRecord
    do {
        record = try RunRecord.open(directory)
    } catch let error as CheckpointError {
        invariant(error.path == configPath && !error.message.isEmpty, "bad error \(error)")
        return 0
    } catch {
        fatalError("RunRecord.open threw \(type(of: error)), not a CheckpointError: \(error)")
    }
    let c = record.config
    // What the view's header and runs table show of a run.
    _ = (c.shapeDescription, c.settingDescriptions, record.isFinished, record.best, record.name)
    for epoch in [1, 2, c.epochs] { _ = c.resetsAccumulator(beforeEpoch: epoch) }
    do {
        try c.validate(vocabularySize: 1000)
        invariant(
            c.dim > 0 && c.epochs > 0 && c.batchSize > 0 && c.learningRate > 0 && c.learningRate.isFinite
                && c.threads >= 0 && c.l2 >= 0,
            "settings out of range pass validation: \(c)")
        _ = ModelConfig(
            kind: c.model, dim: c.dim, middle: c.middle, inputDim: c.inputDim, vocabularySize: 1000)
    } catch {
        invariant(!"\(error)".isEmpty, "a validation error without a message")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let written = try? encoder.encode(c) else {
        fatalError("settings that were read do not encode: \(c)")
    }
    guard let again = try? JSONDecoder().decode(TrainingConfig.self, from: written) else {
        fatalError("settings written back do not read: \(String(decoding: written, as: UTF8.self))")
    }
    invariant(again == c, "round trip changed the settings: \(c) -> \(again)")
    return 0
}
