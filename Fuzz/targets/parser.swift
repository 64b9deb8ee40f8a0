// PTB treebank parser: `Treebank.parse` with and without required labels.
//
// Invariants beyond "does not crash":
// - a parsed treebank has the documented flat layout (post-order, children before their
//   parent, one parent per non-root node, leaves numbering `tokens` left to right);
// - labels are 0-4, or `unlabeled` only when labels are optional;
// - printing the treebank back to PTB text and parsing that gives the same arrays;
// - text that parses with required labels parses identically with optional labels;
// - a rejection is one `TreebankError` with a position inside the text.

import Foundation
import SentreeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    // `parse` takes a String: invalid UTF-8 becomes U+FFFD here. The byte-level UTF-8 check
    // is covered by the unit tests of `Treebank.load`.
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let labeled = parseChecked(text, requireLabels: true)
    let unlabeled = parseChecked(text, requireLabels: false)
    if let labeled {
        invariant(unlabeled != nil, "parses with required labels but not with optional labels")
        invariant(sameTrees(labeled, unlabeled!), "optional labels changed the trees of fully labeled text")
    }
    return 0
}

private func parseChecked(_ text: String, requireLabels: Bool) -> Treebank? {
    let bank: Treebank
    do {
        bank = try Treebank.parse(text, source: "fuzz", requireLabels: requireLabels)
    } catch let error as TreebankError {
        // Split on the byte: as Characters, "\r\n" is one grapheme and would not match "\n".
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        invariant(error.source == "fuzz" && !error.message.isEmpty, "bad error \(error)")
        invariant(error.line >= 1 && error.line <= lines.count, "error line outside the text: \(error)")
        let width = String(decoding: lines[error.line - 1], as: UTF8.self).count
        invariant(
            error.column >= 1 && error.column <= width + 1,
            "error column outside the line (\(width) characters): \(error)")
        return nil
    } catch {
        fatalError("parse threw \(type(of: error)), not a TreebankError: \(error)")
    }
    checkLayout(bank, requireLabels: requireLabels)
    let printed = ptbText(bank)
    guard let again = try? Treebank.parse(printed, source: "printed", requireLabels: requireLabels) else {
        fatalError("the treebank printed back does not parse:\n\(printed)")
    }
    invariant(sameTrees(bank, again), "print + parse changed the treebank:\n\(printed)")
    return bank
}

private func checkLayout(_ tb: Treebank, requireLabels: Bool) {
    let n = tb.nodeCount
    invariant(tb.left.count == n && tb.right.count == n && tb.leafToken.count == n, "array lengths differ")
    invariant(tb.treeStart.first == 0 && Int(tb.treeStart.last!) == n, "treeStart does not span the nodes")
    invariant(
        tb.lines.count == tb.count && zip(tb.lines, tb.lines.dropFirst()).allSatisfy { $0 < $1 }
            && (tb.lines.first ?? 1) >= 1, "tree lines not increasing from 1: \(tb.lines)")
    for label in tb.labels {
        invariant(label <= 4 || (!requireLabels && label == Treebank.unlabeled), "label \(label)")
    }
    var nextToken: Int32 = 0
    for t in 0 ..< tb.count {
        let r = tb.nodes(of: t)
        invariant(!r.isEmpty, "tree \(t) has no nodes")
        var parents = [Int](repeating: 0, count: r.count)
        var leaves = 0
        for local in 0 ..< r.count {
            let g = r.lowerBound + local
            if tb.left[g] < 0 {
                invariant(tb.right[g] == -1 && tb.left[g] == -1 && tb.leafToken[g] == nextToken, "leaf \(g)")
                nextToken += 1
                leaves += 1
            } else {
                invariant(tb.leafToken[g] == -1, "internal node \(g) has a token")
                invariant(
                    tb.left[g] < tb.right[g] && Int(tb.right[g]) < local,
                    "children of \(g) not before it")
                parents[Int(tb.left[g])] += 1
                parents[Int(tb.right[g])] += 1
            }
        }
        invariant(parents.dropLast().allSatisfy { $0 == 1 } && parents.last == 0, "tree \(t) is not one tree")
        invariant(r.count == 2 * leaves - 1, "tree \(t) is not binary")
    }
    invariant(Int(nextToken) == tb.tokens.count, "tokens not all used by leaves")
    for token in tb.tokens {
        invariant(!token.isEmpty && !token.utf8.contains { " \t()\n".utf8.contains($0) }, "token '\(token)'")
    }
}

/// One PTB line per tree, labels left out where the node has none.
private func ptbText(_ tb: Treebank) -> String {
    var out = ""
    for t in 0 ..< tb.count {
        let r = tb.nodes(of: t)
        var text: [String] = []
        for local in 0 ..< r.count {
            let g = r.lowerBound + local
            let label = tb.labels[g] == Treebank.unlabeled ? "" : "\(tb.labels[g]) "
            text.append(
                tb.left[g] < 0
                    ? "(\(label)\(tb.tokens[Int(tb.leafToken[g])]))"
                    : "(\(label)\(text[Int(tb.left[g])]) \(text[Int(tb.right[g])]))")
        }
        out += text.last! + "\n"
    }
    return out
}

private func sameTrees(_ a: Treebank, _ b: Treebank) -> Bool {
    a.labels == b.labels && a.left == b.left && a.right == b.right && a.leafToken == b.leafToken
        && a.tokens == b.tokens && a.treeStart == b.treeStart
}
