@testable import SentreeCore

/// Small learnable treebanks written by the tests themselves.
enum TestTreebanks {
    static let positive = ["good", "great", "fun", "moving", "superb"]
    static let negative = ["bad", "dull", "awful", "boring", "weak"]
    static let neutral = ["the", "movie", "film", "plot", "is", "a", "it", "story"]

    /// `count` random PTB trees whose labels follow the words (so a model can learn them):
    /// a node's label is 2 + clamp(sum of word polarities, -2, 2).
    static func text(count: Int, seed: UInt64) -> String {
        var g = SplitMix64(seed: seed)
        var lines: [String] = []
        for _ in 0 ..< count {
            let leaves = 2 + Int(g.next() % 7)
            var nodes: [(text: String, score: Int)] = (0 ..< leaves).map { _ in
                let r = g.next() % 10
                let (word, score) =
                    r < 3
                    ? (positive[Int(g.next() % 5)], 1)
                    : r < 6 ? (negative[Int(g.next() % 5)], -1) : (neutral[Int(g.next() % 8)], 0)
                return ("(\(2 + score) \(word))", score)
            }
            while nodes.count > 1 {
                let i = Int(g.next() % UInt64(nodes.count - 1))
                let score = nodes[i].score + nodes[i + 1].score
                let label = 2 + max(-2, min(2, score))
                nodes.replaceSubrange(
                    i ... i + 1, with: [("(\(label) \(nodes[i].text) \(nodes[i + 1].text))", score)])
            }
            lines.append(nodes[0].text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func treebank(count: Int, seed: UInt64) throws -> Treebank {
        try Treebank.parse(text(count: count, seed: seed), source: "synthetic-\(seed)")
    }

    /// The shared SST directory, if this machine has it.
    static var sstDirectory: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["SST_DIR"], "../shared/data/sst", "/work/shared/data/sst",
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.fileExists(atPath: $0 + "/train.txt")
                && FileManager.default.fileExists(atPath: $0 + "/dev.txt")
        }
    }
}

import Foundation
