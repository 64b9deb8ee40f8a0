// INTERIM, NOT COMMITTED: replaced by the checkpoint branch.
import Foundation
public struct TrainingProgress: Codable, Sendable, Equatable {
    public var epochsCompleted: Int; public var stepInEpoch: Int; public var globalStep: Int
    public var learningRate: Double; public var bestFineRoot: Double; public var bestEpoch: Int; public var elapsedSeconds: Double
    public init(epochsCompleted: Int, stepInEpoch: Int, globalStep: Int, learningRate: Double, bestFineRoot: Double, bestEpoch: Int, elapsedSeconds: Double) {
        self.epochsCompleted = epochsCompleted; self.stepInEpoch = stepInEpoch; self.globalStep = globalStep; self.learningRate = learningRate; self.bestFineRoot = bestFineRoot; self.bestEpoch = bestEpoch; self.elapsedSeconds = elapsedSeconds }
}
public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int; public var trainLoss: Double; public var fineAll: Double; public var fineRoot: Double
    public var binaryRoot: Double; public var binaryAll: Double; public var seconds: Double; public var treesPerSecond: Double; public var learningRate: Double
    public init(epoch: Int, trainLoss: Double, fineAll: Double, fineRoot: Double, binaryRoot: Double, binaryAll: Double, seconds: Double, treesPerSecond: Double, learningRate: Double) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.fineAll = fineAll; self.fineRoot = fineRoot; self.binaryRoot = binaryRoot; self.binaryAll = binaryAll; self.seconds = seconds; self.treesPerSecond = treesPerSecond; self.learningRate = learningRate }
}
public struct Checkpoint: Sendable, Equatable, Codable {
    public var config: TrainingConfig; public var model: ModelConfig; public var parameters: [Float]; public var optimizerState: [Float]
    public var vocabulary: [String]; public var lowercase: Bool; public var progress: TrainingProgress; public var history: [EpochRecord]
    public func write(to path: String) throws { try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic) }
    public static func read(from path: String) throws -> Checkpoint { try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: URL(fileURLWithPath: path))) }
}
public struct RunDirectory: Sendable {
    public let path: String
    public init(path: String) throws { self.path = path; try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    public var bestPath: String { path + "/best.safetensors" }
    public var lastPath: String { path + "/last.safetensors" }
    public var metricsPath: String { path + "/metrics.jsonl" }
}
public enum JSONScalar: Sendable { case int(Int), double(Double), string(String), bool(Bool) }
public struct MetricsLog: Sendable {
    public let path: String
    public init(path: String) { self.path = path }
    public func appendEpoch(_ r: EpochRecord) throws {}
    public func appendEvent(name: String, fields: [String: JSONScalar]) throws {}
}
