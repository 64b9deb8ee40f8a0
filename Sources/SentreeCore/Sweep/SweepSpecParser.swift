import Foundation
internal import Yams

/// Reads a sweep spec from YAML, checking every key and value before anything runs.
///
/// Yams' nodes carry their line and column, so each error points at the key or value at
/// fault. Yams does not reject duplicate keys; this parser does, since the second would
/// silently win.
struct SweepSpecParser {
    let file: String
    /// Where relative paths in the spec start.
    let directory: String

    static let topKeys = ["base", "grid", "random", "seeds"]
    static let randomKeys = ["count", "draw-seed"]
    static let distributions = ["uniform", "log-uniform", "choice"]
    /// A guard against a typo such as `to: 100000` making a sweep nobody meant.
    static let maxTrials = 100_000

    func fail(_ node: Node?, _ key: String, _ message: String) -> SweepSpecError {
        SweepSpecError(
            file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0,
            key: key, message: message)
    }

    func parse(_ text: String) throws -> SweepSpec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error)
        }
        guard let root else { throw fail(nil, "", "the spec is empty") }
        let top = try mapping(root, "", allowed: Self.topKeys)
        func entry(_ name: String) -> Node? { top.first { $0.key.scalar?.string == name }?.value }
        var base: [SweepSetting] = []
        var used: [String: String] = [:]  // flag -> where it is set, so each flag has one place
        if let node = entry("base") {
            for (keyNode, value) in try mapping(node, "base", allowed: nil) {
                let flag = try self.flag(keyNode, section: "base", used: &used)
                base.append(SweepSetting(flag: flag, value: try self.value(value, flag, "base.\(flag.name)")))
            }
        }
        var grid: [SweepAxis] = []
        if let node = entry("grid") {
            for (keyNode, valueNode) in try mapping(node, "grid", allowed: nil) {
                let flag = try self.flag(keyNode, section: "grid", used: &used)
                let key = "grid.\(flag.name)"
                let items = try list(valueNode, key)
                let values = try items.map { try value($0, flag, key) }
                if let repeated = firstRepeat(values) {
                    throw fail(valueNode, key, "lists \(repeated) twice")
                }
                grid.append(SweepAxis(flag: flag, values: values))
            }
        }
        let random = try entry("random").map { try parseRandom($0, used: &used) }
        if let section = used["neutral-roots"],
            !base.contains(where: { $0.flag.name == "task" && $0.value == "binary" })
        {
            throw fail(
                root, "\(section).neutral-roots",
                "needs `task: binary` in base (the 5-class task trains on every tree)")
        }
        let seeds = try entry("seeds").map { try parseSeeds($0) } ?? [1]
        let count = grid.reduce(1) { $0 * $1.values.count } * (random?.count ?? 1) * seeds.count
        if count > Self.maxTrials {
            throw fail(root, "", "the spec makes \(count) trials, more than \(Self.maxTrials)")
        }
        return SweepSpec(file: file, base: base, grid: grid, random: random, seeds: seeds)
    }

    /// The pairs of a mapping node, refusing duplicate keys and (when `allowed` is given)
    /// keys outside it.
    func mapping(_ node: Node, _ key: String, allowed: [String]?) throws -> [(key: Node, value: Node)] {
        guard let map = node.mapping else {
            throw fail(
                node, key,
                key.isEmpty
                    ? "the spec must be a mapping of keys (base, grid, random, seeds)"
                    : "must be a mapping of keys to values")
        }
        var seen: [String: Node] = [:]
        var pairs: [(key: Node, value: Node)] = []
        for (k, v) in map {
            guard let name = k.scalar?.string else { throw fail(k, key, "keys must be plain words") }
            let path = key.isEmpty ? name : "\(key).\(name)"
            if let first = seen[name] {
                throw fail(k, path, "set twice (first on line \(first.mark?.line ?? 0))")
            }
            seen[name] = k
            if let allowed, !allowed.contains(name) {
                let hint = closest(to: name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw fail(k, path, "unknown key\(hint); expected one of \(allowed.joined(separator: ", "))")
            }
            pairs.append((k, v))
        }
        return pairs
    }

    func flag(_ keyNode: Node, section: String, used: inout [String: String]) throws -> SweepFlag {
        let name = keyNode.scalar?.string ?? ""
        let path = "\(section).\(name)"
        switch SweepFlag.named(name) {
        case .failure(.unknown(let suggestion)):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            throw fail(
                keyNode, path,
                "unknown flag\(hint); a key is a `sentree train` flag without its dashes")
        case .failure(.reserved(let why)):
            throw fail(keyNode, path, "a sweep sets this itself: \(why)")
        case .success(let flag):
            if flag.name == "task" && section != "base" {
                throw fail(
                    keyNode, path,
                    "is set in base only: a sweep's trials are ranked by one measure (fine root, or "
                        + "binary root for the binary task)")
            }
            if let other = used[flag.name] {
                throw fail(keyNode, path, "is already set in \(other); a flag is set in one place")
            }
            used[flag.name] = section
            return flag
        }
    }

    func scalar(_ node: Node, _ key: String) throws -> String {
        guard let s = node.scalar?.string else { throw fail(node, key, "must be a single value") }
        return s
    }

    func value(_ node: Node, _ flag: SweepFlag, _ key: String) throws -> String {
        let text = try scalar(node, key)
        switch flag.canonical(text, relativeTo: directory) {
        case .success(let v): return v
        case .failure(let problem): throw fail(node, key, problem.text)
        }
    }

    func list(_ node: Node, _ key: String) throws -> [Node] {
        guard let items = node.sequence, !items.isEmpty else {
            throw fail(node, key, "must be a non-empty list, such as [0.01, 0.02]")
        }
        return Array(items)
    }

    func number(_ node: Node, _ key: String) throws -> Double {
        let text = try scalar(node, key)
        guard let v = Double(text), v.isFinite else {
            throw fail(node, key, "must be a number (got '\(text)')")
        }
        return v
    }

    func parseRandom(_ node: Node, used: inout [String: String]) throws -> SweepRandom {
        let pairs = try mapping(node, "random", allowed: nil)
        var count: Int? = nil
        var drawSeed: UInt64 = 1
        var axes: [SweepRandomAxis] = []
        for (keyNode, valueNode) in pairs {
            let name = keyNode.scalar?.string ?? ""
            if name == "count" {
                let text = try scalar(valueNode, "random.count")
                guard let n = Int(text), n >= 1 else {
                    throw fail(
                        valueNode, "random.count",
                        "must be a whole number of draws, at least 1 (got '\(text)')")
                }
                count = n
            } else if name == "draw-seed" {
                let text = try scalar(valueNode, "random.draw-seed")
                guard let s = UInt64(text) else {
                    throw fail(
                        valueNode, "random.draw-seed",
                        "must be a whole number, 0 or more (got '\(text)')")
                }
                drawSeed = s
            } else {
                let flag = try self.flag(keyNode, section: "random", used: &used)
                axes.append(SweepRandomAxis(flag: flag, distribution: try distribution(valueNode, flag)))
            }
        }
        guard let count else { throw fail(node, "random.count", "missing: how many random draws to make") }
        guard !axes.isEmpty else { throw fail(node, "random", "names no flag to draw") }
        return SweepRandom(count: count, drawSeed: drawSeed, axes: axes)
    }

    func distribution(_ node: Node, _ flag: SweepFlag) throws -> SweepDistribution {
        let key = "random.\(flag.name)"
        let pairs = try mapping(node, key, allowed: Self.distributions)
        guard pairs.count == 1, let (kindNode, argument) = pairs.first,
            let kind = kindNode.scalar?.string
        else {
            throw fail(
                node, key,
                "must name one distribution: {uniform: [low, high]}, "
                    + "{log-uniform: [low, high]} or {choice: [a, b, ...]}")
        }
        let path = "\(key).\(kind)"
        if kind == "choice" {
            let values = try list(argument, path).map { try value($0, flag, path) }
            return .choice(values)
        }
        guard flag.kind == .integer || flag.kind == .number else {
            throw fail(kindNode, path, "\(flag.name) takes no range; use {choice: [...]}")
        }
        let bounds = try list(argument, path)
        guard bounds.count == 2 else { throw fail(argument, path, "must be [low, high]") }
        // Each bound must be a valid value; every rule is a range, so then so is every draw.
        let low = try number(bounds[0], path), high = try number(bounds[1], path)
        _ = try value(bounds[0], flag, path)
        _ = try value(bounds[1], flag, path)
        guard low <= high else { throw fail(argument, path, "low \(low) is above high \(high)") }
        if kind == "log-uniform" {
            guard low > 0 else { throw fail(bounds[0], path, "a log-uniform range must start above 0") }
            return .logUniform(low, high)
        }
        return .uniform(low, high)
    }

    func parseSeeds(_ node: Node) throws -> [UInt64] {
        func seed(_ n: Node, _ key: String) throws -> UInt64 {
            let text = try scalar(n, key)
            guard let s = UInt64(text) else {
                throw fail(n, key, "must be a whole number, 0 or more (got '\(text)')")
            }
            return s
        }
        if node.sequence != nil {
            let items = try list(node, "seeds")
            let seeds = try items.map { try seed($0, "seeds") }
            if let repeated = firstRepeat(seeds) { throw fail(node, "seeds", "lists seed \(repeated) twice") }
            return seeds
        }
        guard node.mapping != nil else {
            throw fail(node, "seeds", "must be a list such as [1, 2, 3], or a range such as {from: 1, to: 6}")
        }
        let pairs = try mapping(node, "seeds", allowed: ["from", "to"])
        guard let from = pairs.first(where: { $0.key.scalar?.string == "from" }),
            let to = pairs.first(where: { $0.key.scalar?.string == "to" })
        else {
            throw fail(node, "seeds", "a range needs both from and to")
        }
        let low = try seed(from.value, "seeds.from"), high = try seed(to.value, "seeds.to")
        guard low <= high else { throw fail(to.value, "seeds.to", "is below from (\(low))") }
        guard high - low < UInt64(Self.maxTrials) else {
            throw fail(to.value, "seeds.to", "makes too many seeds")
        }
        return Array(low ... high)
    }

    func yamlError(_ error: YamlError) -> SweepSpecError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = (context.map { "\($0.text) " } ?? "") + problem
            return SweepSpecError(
                file: file, line: mark.line, column: mark.column, key: "",
                message: "not valid YAML: \(text)")
        default:
            return SweepSpecError(
                file: file, line: 0, column: 0, key: "",
                message: "not valid YAML: \(error)")
        }
    }
}

/// The first element that occurs twice.
func firstRepeat<T: Hashable>(_ items: [T]) -> T? {
    var seen = Set<T>()
    return items.first { !seen.insert($0).inserted }
}
