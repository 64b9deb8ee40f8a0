// The view's metrics reader: `MetricsTail` following a `metrics.jsonl` that grows in
// pieces (the input, cut where its first byte says) and is then cut back, as `sentree view`
// follows a run that trains or resumes. Its seeds hold extreme values (epoch 2^62, seconds
// 1e308, losses of ±1e308, denormals, -0) of the kind that once crashed the view.
//
// Invariants beyond "does not crash":
// - reading the file in pieces gives the epochs and evaluations inside epochs of its
//   complete lines, the same as reading it whole (epochs bit for bit), and a bad line is reported
//   (then skipped) exactly when the whole read rejects the file;
// - every epoch and evaluation it lets through is in the documented ranges (an
//   evaluation's position inside its epoch, where the view places it), and what the view adds up
//   from them (training seconds, epochs) stays finite and in range;
// - a log cut back is reported as replaced and read again from its start.

import Foundation
import SentreeCore

private let path = scratchPath("metricstail", "metrics.jsonl")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMetricsTail(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let piece = Int(bytes[0]) % 64 + 1
    let data = fuzzData(bytes + 1, count - 1)
    unlink(path)
    var tail = MetricsTail(path: path)
    invariant(tail.poll().isEmpty, "a missing log is not empty")
    guard let handle = fopen(path, "w") else { fatalError("cannot create \(path)") }
    var records: [EpochRecord] = []
    var evaluations: [EvaluationRecord] = []
    var problem: CheckpointError? = nil
    var offset = 0
    while offset < data.count {
        let end = min(data.count, offset + piece)
        let chunk = data.subdata(in: offset ..< end)
        chunk.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, chunk.count, handle) }
        fflush(handle)
        offset = end
        let update = tail.poll()
        invariant(!update.replaced, "a growing log was reported replaced")
        records += update.records
        evaluations += update.evaluations
        problem = problem ?? update.problem
    }
    fclose(handle)
    let complete = data.lastIndex(of: 0x0A).map { data.prefix(through: $0) } ?? Data()
    check(records, evaluations, problem: problem, against: Data(complete))

    // The log is cut back to its first half (a resume trims it): read again from the start.
    let kept = complete.prefix(complete.count / 2)
    guard kept.count < data.count else { return 0 }
    guard (try? Data(kept).write(to: URL(fileURLWithPath: path))) != nil else { fatalError("cannot rewrite") }
    let update = tail.poll()
    invariant(update.replaced, "a log cut back was not reported replaced")
    let keptComplete = kept.lastIndex(of: 0x0A).map { kept.prefix(through: $0) } ?? Data()
    check(update.records, update.evaluations, problem: update.problem, against: Data(keptComplete))
    return 0
}

/// `records` and `evaluations` (read in pieces) against a whole read of `complete` lines.
private func check(
    _ records: [EpochRecord], _ evaluations: [EvaluationRecord], problem: CheckpointError?,
    against complete: Data
) {
    for r in records {
        invariant(r.problem == nil, "an epoch out of range was let through: \(r.problem!)")
    }
    for e in evaluations {
        invariant(e.problem == nil, "an evaluation out of range was let through: \(e.problem!)")
        invariant(
            e.position >= Double(e.epoch - 1) && e.position < Double(e.epoch), "evaluation outside its epoch")
    }
    // What the view's curves add up: training time along the x axis.
    let total = records.reduce(0.0) { $0 + $1.seconds }
    invariant(total.isFinite && total >= 0, "training seconds add up to \(total)")
    if let entries = try? MetricsLog.readEntries(data: complete, source: path) {
        let whole = entries.epochs
        invariant(problem == nil, "pieces reported \(problem!) where the whole log reads")
        invariant(
            whole.count == records.count && zip(whole, records).allSatisfy(sameBits),
            "pieces read \(records.count) epochs, the whole log \(whole.count)")
        invariant(
            entries.evaluations == evaluations,
            "pieces read \(evaluations.count) evaluations, the whole log \(entries.evaluations.count)")
    } else {
        invariant(problem != nil, "the whole log is rejected but the pieces reported nothing")
        invariant(problem!.path == path && problem!.message.hasPrefix("line "), "bad error \(problem!)")
    }
}

private func sameBits(_ a: EpochRecord, _ b: EpochRecord) -> Bool {
    let fields: [(EpochRecord) -> Double] = [
        \.trainLoss, \.fineAll, \.fineRoot, \.binaryRoot, \.binaryAll,
        \.seconds, \.treesPerSecond, \.learningRate,
    ]
    return a.epoch == b.epoch && fields.allSatisfy { $0(a).bitPattern == $0(b).bitPattern }
}
