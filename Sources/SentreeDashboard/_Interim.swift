// INTERIM, NOT COMMITTED
import SentreeCore
public struct DashboardSetup: Sendable {
    public var config: TrainingConfig; public var dev: Treebank; public var devWordIDs: [Int32]; public var runDirectory: String; public var stepsPerEpoch: Int; public var startEpoch: Int
    public init(config: TrainingConfig, dev: Treebank, devWordIDs: [Int32], runDirectory: String, stepsPerEpoch: Int, startEpoch: Int) {
        self.config = config; self.dev = dev; self.devWordIDs = devWordIDs; self.runDirectory = runDirectory; self.stepsPerEpoch = stepsPerEpoch; self.startEpoch = startEpoch }
}
extension Dashboard { public static func run(setup: DashboardSetup, control: any TrainerControl, inbox: EventInbox, start: @Sendable () -> Void) -> Int32 { 1 } }
