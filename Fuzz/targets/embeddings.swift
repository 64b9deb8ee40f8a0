// Embeddings reader: `EmbeddingsReader.parse` on GloVe and word2vec text.
//
// Invariants beyond "does not crash":
// - the result does not depend on how the bytes are chunked (as documented): the whole
//   input at once and in small chunks give the same vectors or the same error;
// - a result is consistent: one row of `dimension` finite values per word found, each
//   wanted word mapped to its own row or to none;
// - a rejection is an `InputError` naming the source.

import Foundation
import SentreeCore

private let words = ["<unk>", "the", "film", ".", "good", "café", ". . .", "2"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEmbeddings(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzData(bytes, count)
    let whole = read(data, chunkBytes: Int.max)
    // The first byte picks the chunk size, so the fuzzer explores splits inside lines and
    // inside UTF-8 sequences.
    let chunk = 1 + Int(data.first ?? 0) % 13
    let chunked = read(data, chunkBytes: chunk)
    invariant(whole == chunked, "chunks of \(chunk) bytes changed the result: \(whole) vs \(chunked)")
    if case .success(let e) = whole { checkConsistent(e) }
    return 0
}

private func read(_ data: Data, chunkBytes: Int) -> Result<Embeddings, InputError> {
    do {
        return .success(
            try EmbeddingsReader.parse(data, source: "fuzz", words: words, chunkBytes: chunkBytes))
    } catch {
        invariant(error.source == "fuzz" && !error.message.isEmpty, "bad error \(error)")
        return .failure(error)
    }
}

private func checkConsistent(_ e: Embeddings) {
    invariant(e.rows.count == words.count, "rows do not cover the vocabulary")
    invariant(e.vectors.allSatisfy(\.isFinite), "a value is not finite")
    invariant(e.dimension > 0 || e.vectors.isEmpty, "vectors without a dimension")
    invariant(e.vectors.count == e.wordsFound * e.dimension, "vectors are not whole rows")
    invariant(e.rowsRead >= e.wordsFound, "more words found than rows read")
    let used = e.rows.filter { $0 >= 0 }
    invariant(
        Set(used).count == used.count && used.allSatisfy { Int($0) < e.wordsFound },
        "rows \(e.rows) do not map words to distinct vectors")
    invariant(used.count == e.wordsFound, "a vector belongs to no word")
}
