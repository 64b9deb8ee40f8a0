// Checkpoint decoder: `Checkpoint.decode` (safetensors container, metadata, tensors).
//
// Random mutations almost never keep the CRC-32s of the data section and of the header right,
// which would stop the fuzzer at the checksum tests. So each input is decoded twice: as given,
// and with its `crc32` and `crc32_header` metadata rewritten to match, which lets mutations
// reach the checks behind them.
//
// Invariants beyond "does not crash":
// - a rejection is a `CheckpointError` naming the file;
// - a decoded checkpoint is consistent (parameter counts match the layout, the vocabulary
//   matches L and is one the rest of sentree accepts) and a model built from it predicts
//   one of the five sentiment classes at every node;
// - it re-encodes to bytes that decode to the same checkpoint and encode identically.

import Foundation
import SentreeCore
import ZIPFoundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzData(bytes, count)
    decodeChecked(data)
    if let fixed = withMatchingChecksum(data), fixed != data { decodeChecked(fixed) }
    return 0
}

private let path = "fuzz.safetensors"

private func decodeChecked(_ data: Data) {
    let checkpoint: Checkpoint
    do {
        checkpoint = try Checkpoint.decode(data, path: path)
    } catch let error as CheckpointError {
        invariant(error.path == path && !error.message.isEmpty, "bad error \(error)")
        return
    } catch {
        fatalError("decode threw \(type(of: error)), not a CheckpointError: \(error)")
    }
    let layout = ParameterLayout(checkpoint.model)
    invariant(checkpoint.parameters.count == layout.count, "parameters do not fill the layout")
    invariant(
        checkpoint.optimizerState.isEmpty || checkpoint.optimizerState.count == layout.count,
        "optimizer state does not fill the layout")
    invariant(checkpoint.vocabulary.count == checkpoint.model.vocabularySize, "vocabulary does not match L")
    // What `sentree predict` and `eval` do with a checkpoint; traps on an invalid vocabulary.
    let vocabulary = Vocabulary(words: checkpoint.vocabulary, lowercase: checkpoint.lowercase)
    let snapshot = ModelSnapshot(
        layout: layout, parameters: checkpoint.parameters,
        epoch: checkpoint.progress.epochsCompleted,
        step: checkpoint.progress.globalStep)
    let tree = try! Treebank.parse("(3 (2 the) (4 film))", source: "probe")
    let prediction = snapshot.predict(tree: 0, in: tree, wordIDs: vocabulary.encode(tree))
    invariant(
        prediction.predicted.count == 3 && prediction.predicted.allSatisfy { $0 < 5 },
        "prediction outside the five classes: \(prediction.predicted)")

    let encoded: Data
    do { encoded = try checkpoint.encoded() } catch {
        fatalError("a decoded checkpoint does not encode: \(error)")
    }
    let again: Checkpoint
    do { again = try Checkpoint.decode(encoded, path: "encoded") } catch {
        fatalError("a re-encoded checkpoint does not decode: \(error)")
    }
    invariant(sameBits(checkpoint, again), "encode + decode changed the checkpoint")
    invariant((try? again.encoded()) == encoded, "encoding is not deterministic")
}

/// Parameters compared bit for bit: a fuzzed file may hold NaNs, which are never `==`.
private func sameBits(_ a: Checkpoint, _ b: Checkpoint) -> Bool {
    var (x, y) = (a, b)
    (x.parameters, x.optimizerState, y.parameters, y.optimizerState) = ([], [], [], [])
    return x == y && a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern)
        && a.optimizerState.map(\.bitPattern) == b.optimizerState.map(\.bitPattern)
}

/// The input with metadata `crc32` set to the CRC of its data section, or nil when the
/// container itself is unreadable.
private func withMatchingChecksum(_ data: Data) -> Data? {
    guard data.count >= 8 else { return nil }
    let n = data.prefix(8).enumerated().reduce(UInt64(0)) {
        $0 | UInt64($1.element) << (8 * UInt64($1.offset))
    }
    guard n <= UInt64(data.count - 8) else { return nil }
    let headerEnd = data.startIndex + 8 + Int(n)
    guard
        var header = (try? JSONSerialization.jsonObject(with: data[(data.startIndex + 8) ..< headerEnd]))
            as? [String: Any],
        var metadata = header["__metadata__"] as? [String: String]
    else { return nil }
    let section = data.subdata(in: headerEnd ..< data.endIndex)
    metadata["crc32"] = String(section.crc32(checksum: 0))
    func file(_ metadata: [String: String]) -> Data? {
        header["__metadata__"] = metadata
        guard let json = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]) else {
            return nil
        }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        return out + json + section
    }
    // The header checksum covers the tensors' entries as the container reads them.
    guard metadata["crc32_header"] != nil, let draft = file(metadata),
        let entries = try? SafeTensors.parse(draft, path: "fuzz").entries
    else { return file(metadata) }
    metadata["crc32_header"] = String(Checkpoint.headerChecksum(entries: entries, metadata: metadata))
    return file(metadata)
}
