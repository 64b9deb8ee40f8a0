import Foundation
import SentreeCore

/// A sweep folder's trials as they stand, read without a lock and without writing: the
/// sweep view re-reads it every second, so it follows a sweep that runs here or on Slurm.
public struct SweepSnapshot: Sendable, Equatable {
    public var path: String
    /// The flags that vary, in spec order (the trials table's and the groups' labels).
    public var varies: [String]
    public var rows: [TrialRow]

    public init(path: String, varies: [String], rows: [TrialRow]) {
        (self.path, self.varies, self.rows) = (path, varies, rows)
    }

    /// The trials' task, which names their figures; nil when they differ (a spec sets `task`
    /// in base only, so only hand-made folders can) or there are none.
    public var task: SentimentTask? {
        let tasks = Set(rows.map(\.task))
        return tasks.count == 1 ? tasks.first : nil
    }

    /// Reads `trials.json`, the outcomes, the run locks and each run's metrics log.
    public static func load(_ path: String) throws -> SweepSnapshot {
        let files = SweepFiles(path: path)
        let plan = try files.readPlan()
        let rows = plan.trials.map { trial -> TrialRow in
            let run = files.runPath(trial)
            let record = RunFiles(path: run).holdsRun ? try? RunRecord.open(run) : nil
            let outcome = files.outcome(trial)?.status
            let status: TrialStatus
            if outcome == .done {
                status = .done
            } else if SweepDirectory.runIsBusy(run) {
                status = .running
            } else if outcome == .failed {
                status = .failed
            } else {
                status = record == nil ? .queued : .stopped
            }
            let total = record?.config.epochs ?? trial.settings["epochs"].flatMap { Int($0) } ?? 0
            return TrialRow(
                index: trial.index, name: trial.name, label: label(trial, plan.varies), seed: trial.seed,
                status: status, epochsTotal: total, epochs: record?.epochs ?? [],
                evaluations: record?.evaluations ?? [],
                // A queued trial has no run.json yet; its settings say its task.
                task: record?.config.sentimentTask ?? trial.settings["task"].flatMap {
                    SentimentTask(rawValue: $0)
                }
                    ?? .fine)
        }
        return SweepSnapshot(path: path, varies: plan.varies, rows: rows)
    }

    /// `lr 0.01 l2 0.001`: the varying settings, paths by their last component.
    static func label(_ trial: SweepTrial, _ varies: [String]) -> String {
        varies.map { flag in
            let value = trial.settings[flag] ?? "-"
            return "\(flag) \(value.contains("/") ? (value as NSString).lastPathComponent : value)"
        }.joined(separator: " ")
    }

    /// How many trials are in each status.
    public func count(_ status: TrialStatus) -> Int { rows.filter { $0.status == status }.count }
}
