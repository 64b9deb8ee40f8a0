// Metrics log reader: `MetricsLog.readEpochs(data:source:)` on a whole `metrics.jsonl`.
//
// Invariants beyond "does not crash":
// - a rejection is a `CheckpointError` naming the source and a line that exists;
// - there are no more records than non-empty lines;
// - the records, written back as `MetricsLog` writes them, read back bit for bit.

import Foundation
import SentreeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMetrics(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzData(bytes, count)
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    let records: [EpochRecord]
    do {
        records = try MetricsLog.readEpochs(data: data, source: "fuzz.jsonl")
    } catch let error as CheckpointError {
        invariant(error.path == "fuzz.jsonl", "error names \(error.path)")
        let number = error.message.split(separator: ":").first.flatMap { Int($0.dropFirst("line ".count)) }
        invariant(
            error.message.hasPrefix("line ") && number != nil && number! >= 1 && number! <= lines.count,
            "error does not name one of the \(lines.count) lines: \(error)")
        return 0
    } catch {
        fatalError("readEpochs threw \(type(of: error)), not a CheckpointError: \(error)")
    }
    invariant(records.count <= lines.filter { !$0.isEmpty }.count, "more records than lines")
    var written = Data()
    for record in records {
        guard let line = try? MetricsLog.line(for: record) else {
            fatalError("a record that was read cannot be written back: \(record)")
        }
        written += line + [0x0A]
    }
    guard let again = try? MetricsLog.readEpochs(data: written, source: "written") else {
        fatalError("the records written back do not read:\n\(String(decoding: written, as: UTF8.self))")
    }
    invariant(
        again.count == records.count && zip(again, records).allSatisfy(sameBits),
        "round trip changed records")
    return 0
}

private func sameBits(_ a: EpochRecord, _ b: EpochRecord) -> Bool {
    let fields: [(EpochRecord) -> Double] = [
        \.trainLoss, \.fineAll, \.fineRoot, \.binaryRoot, \.binaryAll,
        \.seconds, \.treesPerSecond, \.learningRate,
    ]
    return a.epoch == b.epoch && fields.allSatisfy { $0(a).bitPattern == $0(b).bitPattern }
}
