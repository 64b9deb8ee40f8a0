/// Finds the binary tree with the highest sum of span scores.
///
/// Only spans of 2 … n−1 words are scored: single words and the whole sentence are in every
/// tree. `cky` is exact, O(n³) time and O(n²) memory; `greedy` (Stern et al.'s top-down
/// parser) splits each span where the two halves score best, which needs only the scores it
/// looks at and O(n) memory besides, for inputs too long for a chart.
public enum ChartDecoder {
    /// Longest sentence decoded exactly; longer ones are decoded greedily. At 200 words CKY
    /// takes about 1.3 million split evaluations (milliseconds) and a 40,000-cell chart.
    public static let exactLimit = 200

    /// The best tree under `scores[i·(n+1) + j]` (entries of single words and the whole
    /// sentence are ignored), and its score. Ties go to the leftmost split.
    public static func cky(words n: Int, scores: [Float]) -> (tree: BinaryTree, score: Float) {
        precondition(scores.count == (n + 1) * (n + 1))
        if n <= 1 { return (BinaryTree(words: n) { _, _ in 0 }, 0) }
        let (best, split) = chart(words: n, scores: scores)
        return (BinaryTree(words: n) { i, j in split[i * (n + 1) + j] }, best[n])
    }

    /// CKY's table for n ≥ 2 words: the best score of every span (i, j) at `i·(n+1) + j`, and
    /// the split that reaches it (the leftmost among ties). One dynamic program for decoding
    /// (Float) and for the hinge loss's loss-augmented decode (the scalar being trained).
    static func chart<S: BinaryFloatingPoint>(words n: Int, scores: [S]) -> (best: [S], split: [Int]) {
        let w = n + 1
        var best = [S](repeating: 0, count: w * w)
        var split = [Int](repeating: 0, count: w * w)
        for length in 2 ... n {
            for i in 0 ... n - length {
                let j = i + length
                var top = -S.infinity, at = i + 1
                for k in i + 1 ..< j {
                    let v = best[i * w + k] + best[k * w + j]
                    if v > top { top = v; at = k }
                }
                best[i * w + j] = top + (length < n ? scores[i * w + j] : 0)
                split[i * w + j] = at
            }
        }
        return (best, split)
    }

    /// Top-down greedy: each span (i, j) splits at the k maximizing s(i, k) + s(k, j), where a
    /// single word scores 0. Calls `score(i, j)` only for spans of 2 … n−1 words.
    public static func greedy(words n: Int, score: (Int, Int) -> Float) -> BinaryTree {
        func s(_ i: Int, _ j: Int) -> Float { j - i < 2 ? 0 : score(i, j) }
        return BinaryTree(words: n) { i, j in
            var top = -Float.infinity, at = i + 1
            for k in i + 1 ..< j {
                let v = s(i, k) + s(k, j)
                if v > top { top = v; at = k }
            }
            return at
        }
    }

    /// Sum of `score` over the scored spans of `tree`.
    public static func total(of tree: BinaryTree, score: (Int, Int) -> Float) -> Float {
        tree.scoredSpans.reduce(0) { $0 + score(Int($1.start), Int($1.end)) }
    }
}
