/// Sentences laid out for a batched LSTM: one matrix product per time step for all of them.
///
/// Sentences are sorted longest first, so at step t the sentences still running are a
/// prefix 0 ..< active[t] of the batch, and their rows are contiguous: row (t, s) is
/// `offset[t] + s`. The backward LSTM reads each sentence reversed and uses the same rows
/// (its step t reads position `length(s) − 1 − t` of the framed sentence). This is the
/// "packed sequence" layout: no padding rows and no masks.
struct SentenceBatch: Sendable {
    /// Framed sentences (`<s>` … `</s>`), longest first.
    let sentences: [ParserFeatures.Encoded]
    /// `order[k]`: position in the caller's list of sorted sentence k.
    let order: [Int]
    /// Sentences still running at each step.
    let active: [Int]
    /// First row of each step, plus the total number of rows.
    let offset: [Int]
    /// First fencepost row of each sentence (a sentence of n words has n + 1), plus the total.
    let fenceStart: [Int]

    init(_ list: [ParserFeatures.Encoded]) {
        // Stable: equal lengths keep the caller's order, so results do not depend on the sort.
        let order = list.indices.sorted {
            list[$0].words.count != list[$1].words.count
                ? list[$0].words.count > list[$1].words.count : $0 < $1
        }
        self.order = order
        sentences = order.map { list[$0] }
        let steps = sentences.first?.words.count ?? 0
        var active = [Int](repeating: 0, count: steps)
        for s in sentences { for t in 0 ..< s.words.count { active[t] += 1 } }
        self.active = active
        var offset = [0]
        for a in active { offset.append(offset.last! + a) }
        self.offset = offset
        var fences = [0]
        for s in sentences { fences.append(fences.last! + s.count + 1) }
        fenceStart = fences
    }

    var count: Int { sentences.count }
    var steps: Int { active.count }
    var rows: Int { offset.last! }
    var fenceRows: Int { fenceStart.last! }

    @inline(__always) func row(step t: Int, sentence s: Int) -> Int { offset[t] + s }
}
