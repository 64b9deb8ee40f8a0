import Foundation

/// One trial: a fixed configuration (every flag the spec sets, the seed) and its run's name.
public struct SweepTrial: Codable, Sendable, Equatable {
    public let index: Int
    /// The trial's run directory under the sweep's `trials/`, e.g. `0003-lr0.01-seed2`.
    public let name: String
    public let seed: UInt64
    /// Every flag the spec sets for this trial (base and axes), by name, in canonical text.
    public let settings: [String: String]
    /// The `sentree train` arguments of a new run of this trial, without --out and --threads.
    public let arguments: [String]

    /// The settings without the seed: trials that agree on them form a seed group.
    public var groupKey: [String: String] { settings }
}

/// The trials of a sweep, as `trials.json` stores them: expanded once, when the sweep is
/// created, so a resumed sweep runs exactly what was planned even if defaults change.
public struct SweepPlan: Codable, Sendable, Equatable {
    public var format = "sentree-sweep"
    public var version = 1
    /// The flags that differ between trials (grid, then random), in spec order.
    public let varies: [String]
    public let trials: [SweepTrial]

    public init(varies: [String], trials: [SweepTrial]) {
        self.varies = varies
        self.trials = trials
    }

    /// `trials.json`'s bytes: sorted keys, so equal plans are equal files.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension SweepSpec {
    /// The trials: every grid point × every random draw × every seed, the seed varying
    /// fastest so a group's trials sit together. `data` replaces every trial's data directory.
    public func plan(data: String? = nil) -> SweepPlan {
        var points: [[String: String]] = [[:]]
        for axis in grid {
            points = points.flatMap { p in axis.values.map { v in p.merging([axis.flag.name: v]) { $1 } } }
        }
        if let random {
            let draws = random.draws()
            points = points.flatMap { p in draws.map { d in p.merging(d) { $1 } } }
        }
        let varies = grid.map(\.flag.name) + (random?.axes.map(\.flag.name) ?? [])
        var fixed = Dictionary(uniqueKeysWithValues: base.map { ($0.flag.name, $0.value) })
        if let data { fixed["data"] = data }
        var trials: [SweepTrial] = []
        for point in points {
            var settings = fixed.merging(point) { $1 }
            if let data { settings["data"] = data }
            for seed in seeds {
                let index = trials.count
                let label = varies.filter { $0 != "data" || data == nil }.map { $0 + (settings[$0] ?? "") }
                trials.append(
                    SweepTrial(
                        index: index, name: Self.trialName(index, label, seed), seed: seed,
                        settings: settings, arguments: Self.arguments(settings, seed: seed)))
            }
        }
        return SweepPlan(varies: varies.filter { $0 != "data" || data == nil }, trials: trials)
    }

    /// `train` arguments for `settings`, in the flag table's order, then the seed.
    static func arguments(_ settings: [String: String], seed: UInt64) -> [String] {
        let flags = SweepFlag.all.filter { settings[$0.name] != nil }
        return flags.flatMap { $0.arguments(settings[$0.name]!) } + ["--seed", String(seed)]
    }

    /// A directory name that says what the trial is: index, varying settings, seed. Only
    /// characters that need no quoting in a shell; paths shrink to their last component.
    static func trialName(_ index: Int, _ label: [String], _ seed: UInt64) -> String {
        let parts = label.map { part -> String in
            let short = part.contains("/") ? (part as NSString).lastPathComponent : part
            return String(short.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        }
        var middle = parts.joined(separator: "-")
        if middle.count > 80 { middle = String(middle.prefix(80)) }
        let number = String(format: "%04d", index)
        return ([number] + (middle.isEmpty ? [] : [middle]) + ["seed\(seed)"]).joined(separator: "-")
    }
}

extension SweepRandom {
    /// The random points, each a setting per axis. Numbers keep 4 significant digits, so
    /// names and tables stay readable; integers are whole.
    func draws() -> [[String: String]] {
        var g = SplitMix64(seed: drawSeed)
        func unit() -> Double { Double(g.next() >> 11) / Double(1 << 53) }
        return (0 ..< count).map { _ in
            var point: [String: String] = [:]
            for axis in axes {
                let integer = axis.flag.kind == .integer
                switch axis.distribution {
                case .choice(let values):
                    point[axis.flag.name] = values[Int(g.next() % UInt64(values.count))]
                case .uniform(let low, let high):
                    if integer {
                        let span = UInt64(high - low) + 1
                        point[axis.flag.name] = String(Int(low) + Int(g.next() % span))
                    } else {
                        point[axis.flag.name] = Self.rounded(low + (high - low) * unit(), low, high)
                    }
                case .logUniform(let low, let high):
                    let (a, b) = (Foundation.log(low), Foundation.log(high))
                    let v = Foundation.exp(a + (b - a) * unit())
                    point[axis.flag.name] =
                        integer
                        ? String(Int(v.rounded()))
                        : Self.rounded(v, low, high)
                }
            }
            return point
        }
    }

    /// `value` to 4 significant digits, kept within the bounds the spec checked.
    static func rounded(_ value: Double, _ low: Double, _ high: Double) -> String {
        let v = Double(String(format: "%.4g", value)) ?? value
        return String(min(max(v, low), high))
    }
}
