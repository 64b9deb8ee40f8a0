import Foundation

/// A flag set to one value for every trial.
public struct SweepSetting: Sendable, Equatable {
    public let flag: SweepFlag
    /// Canonical text (see `SweepFlag`).
    public let value: String
}

/// A flag the grid sets to each of its values in turn.
public struct SweepAxis: Sendable, Equatable {
    public let flag: SweepFlag
    public let values: [String]
}

/// How a random axis draws its values.
public enum SweepDistribution: Sendable, Equatable {
    /// Evenly between the bounds (whole numbers for integer flags, both bounds included).
    case uniform(Double, Double)
    /// Evenly in the logarithm: as likely within [1e-3, 1e-2] as within [1e-2, 1e-1].
    case logUniform(Double, Double)
    /// One of the listed values, each as likely.
    case choice([String])
}

public struct SweepRandomAxis: Sendable, Equatable {
    public let flag: SweepFlag
    public let distribution: SweepDistribution
}

/// `count` draws of the random axes, reproducible from `drawSeed`.
public struct SweepRandom: Sendable, Equatable {
    public let count: Int
    public let drawSeed: UInt64
    public let axes: [SweepRandomAxis]
}

/// What a sweep runs: a base configuration, the settings that vary (a grid and/or random
/// draws) and the seeds each setting is trained with. Read from YAML by `SweepSpecParser`;
/// expanded into trials by `plan(data:)`.
public struct SweepSpec: Sendable, Equatable {
    /// The file as the user named it, for messages.
    public let file: String
    public let base: [SweepSetting]
    public let grid: [SweepAxis]
    public let random: SweepRandom?
    public let seeds: [UInt64]

    /// Whether any setting or axis sets the data directory.
    public var setsData: Bool {
        base.contains { $0.flag.name == "data" } || grid.contains { $0.flag.name == "data" }
            || (random?.axes.contains { $0.flag.name == "data" } ?? false)
    }

    /// Reads and checks the spec at `path`; relative paths in it are taken from its folder.
    public static func load(path: String) throws -> SweepSpec {
        let data: Data
        do { data = try RegularFile.contents(of: path) } catch {
            throw SweepSpecError(file: path, line: 0, column: 0, key: "", message: error.message)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SweepSpecError(file: path, line: 0, column: 0, key: "", message: "not UTF-8 text")
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try SweepSpecParser(file: path, directory: directory).parse(text)
    }
}
