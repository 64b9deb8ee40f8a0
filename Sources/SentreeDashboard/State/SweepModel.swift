import Foundation
import SentreeCore

/// Where a trial of a watched sweep stands.
public enum TrialStatus: String, Sendable, Equatable, CaseIterable {
    /// Its run's writer lock is held: a `train` process (local or on a Slurm node) is on it.
    case running
    /// It has a run but no process and no outcome: interrupted, resumes with the next attempt.
    case stopped
    case failed
    case done
    /// Nothing run yet.
    case queued
}

/// One trial as the sweep view shows it.
public struct TrialRow: Sendable, Equatable {
    public var index: Int
    public var name: String
    /// The settings that vary across the sweep, e.g. `lr 0.01`; empty when only seeds vary.
    public var label: String
    public var seed: UInt64
    public var status: TrialStatus
    public var epochsTotal: Int
    /// The dev metrics per logged epoch.
    public var epochs: [EpochRecord]
    /// Dev evaluations inside epochs (`--dev-every`).
    public var evaluations: [EvaluationRecord]
    /// The trial's task, whose score picks `best`.
    public var task: SentimentTask

    public init(
        index: Int, name: String, label: String, seed: UInt64, status: TrialStatus, epochsTotal: Int,
        epochs: [EpochRecord], evaluations: [EvaluationRecord] = [], task: SentimentTask = .fine
    ) {
        (self.index, self.name, self.label, self.seed) = (index, name, label, seed)
        (self.status, self.epochsTotal, self.epochs) = (status, epochsTotal, epochs)
        (self.evaluations, self.task) = (evaluations, task)
    }

    /// The evaluation `best.safetensors` holds: by dev fine root (binary root for the binary
    /// task), the first of equals, at an epoch's end or inside one.
    public var best: BestEvaluation? { task.best(epochs: epochs, evaluations: evaluations) }
}

/// A dev metric the sweep view ranks and draws.
public enum SweepMetric: Int, Sendable, CaseIterable {
    case fineRoot, fineAll, binaryRoot

    /// `fine root`, or for trials of the binary task `3-class root`: their argmax is over
    /// negative, neutral and positive, not SST's 5 classes.
    public func name(task: SentimentTask?) -> String {
        let argmax = task?.argmaxName ?? "fine"
        return [argmax + " root", argmax + " all", "binary root"][rawValue]
    }

    /// `name(task:)` in the trials table's 8 columns: `fine rt`, `3-cl all`, `bin rt`.
    public func shortName(task: SentimentTask?) -> String {
        let argmax = task == .binary ? "3-cl" : "fine"
        return [argmax + " rt", argmax + " all", "bin rt"][rawValue]
    }

    /// The metrics in the order the sweep view shows them and `m` steps through them: first
    /// the one that picks each trial's best (fine root, binary root for the binary task).
    public static func order(task: SentimentTask?) -> [SweepMetric] {
        task == .binary ? [.binaryRoot, .fineRoot, .fineAll] : allCases
    }

    /// The metric after this one in `order(task:)`.
    public func next(task: SentimentTask?) -> SweepMetric {
        let order = Self.order(task: task)
        return order[((order.firstIndex(of: self) ?? -1) + 1) % order.count]
    }

    public func value(_ e: some DevFigures) -> Double {
        switch self {
        case .fineRoot: e.fineRoot
        case .fineAll: e.fineAll
        case .binaryRoot: e.binaryRoot
        }
    }
}

/// Mean, sample standard deviation (n − 1; 0 for one value), minimum and maximum.
public struct Spread: Sendable, Equatable {
    public var mean, sd, min, max: Double
    public var count: Int

    public init?(_ xs: [Double]) {
        guard let low = xs.min(), let high = xs.max() else { return nil }
        let m = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.count > 1 ? xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1) : 0
        (mean, sd, min, max, count) = (m, variance.squareRoot(), low, high, xs.count)
    }
}

/// Trials that differ only in the seed.
public struct SeedGroup: Sendable, Equatable {
    public var label: String
    /// Indices into the rows, in trial order.
    public var members: [Int]
    public var seeds: [UInt64]

    /// The spread of `metric` over the members' best epochs (members with no epoch left out).
    public func spread(_ metric: SweepMetric, _ rows: [TrialRow]) -> Spread? {
        Spread(members.compactMap { rows[$0].best.map(metric.value) })
    }

    /// Per epoch: mean, min and max of `metric` over the members that logged that epoch.
    public func curve(_ metric: SweepMetric, _ rows: [TrialRow]) -> [(epoch: Int, spread: Spread)] {
        var byEpoch: [Int: [Double]] = [:]
        for m in members { for e in rows[m].epochs { byEpoch[e.epoch, default: []].append(metric.value(e)) } }
        return byEpoch.keys.sorted().compactMap { k in Spread(byEpoch[k]!).map { (k, $0) } }
    }
}

/// Rows grouped by their label (the varying settings), in the order groups first appear.
public func seedGroups(_ rows: [TrialRow]) -> [SeedGroup] {
    var groups: [SeedGroup] = []
    for (i, row) in rows.enumerated() {
        if let g = groups.firstIndex(where: { $0.label == row.label }) {
            groups[g].members.append(i)
            groups[g].seeds.append(row.seed)
        } else {
            groups.append(SeedGroup(label: row.label, members: [i], seeds: [row.seed]))
        }
    }
    return groups
}

/// The group with the best mean and how its lead over the runner-up compares with the
/// seed-to-seed spread: the larger of the two groups' standard deviations.
public struct GroupLead: Sendable, Equatable {
    public var leader: Int
    public var runnerUp: Int
    public var lead: Double
    public var spread: Double
    /// Whether the lead is larger than the spread; with one seed in either group there is no
    /// spread to compare with, and the lead is not called clear.
    public var clear: Bool
}

public func groupLead(_ groups: [SeedGroup], _ rows: [TrialRow], metric: SweepMetric) -> GroupLead? {
    let ranked = groups.indices.compactMap { g in groups[g].spread(metric, rows).map { (g, $0) } }
        .sorted { $0.1.mean > $1.1.mean }
    guard ranked.count >= 2 else { return nil }
    let (first, second) = (ranked[0], ranked[1])
    let spread = Swift.max(first.1.sd, second.1.sd)
    let lead = first.1.mean - second.1.mean
    let clear = first.1.count > 1 && second.1.count > 1 && lead > spread
    return GroupLead(leader: first.0, runnerUp: second.0, lead: lead, spread: spread, clear: clear)
}

/// Orders in which the trials table lists the trials.
public enum TrialSort: Int, Sendable, CaseIterable {
    case index, metric, status

    public var name: String { ["trial", "best", "status"][rawValue] }
}

/// Row indices in `sort`'s order: by trial index; by the best value of `metric`, highest
/// first (trials without an epoch last); or by status (running first), then index.
public func sortedTrials(_ rows: [TrialRow], by sort: TrialSort, metric: SweepMetric) -> [Int] {
    let order = TrialStatus.allCases
    return rows.indices.sorted { a, b in
        switch sort {
        case .index:
            return rows[a].index < rows[b].index
        case .metric:
            let (x, y) = (rows[a].best.map(metric.value), rows[b].best.map(metric.value))
            if x != y { return (x ?? -1) > (y ?? -1) }
            return rows[a].index < rows[b].index
        case .status:
            let (x, y) = (order.firstIndex(of: rows[a].status)!, order.firstIndex(of: rows[b].status)!)
            return x != y ? x < y : rows[a].index < rows[b].index
        }
    }
}
