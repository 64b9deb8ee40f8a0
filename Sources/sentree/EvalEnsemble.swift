import Foundation
import SentreeCore

/// One member of an evaluated ensemble: its own scores, distributions and time.
struct ScoredMember {
    let file: String
    let checkpoint: Checkpoint
    let unseen: UnknownWords
    let metrics: Metrics
    let probabilities: [Float]
    let seconds: Double
}

extension Eval {
    /// `eval` with several checkpoints: each member's metrics and the ensemble's, whose node
    /// distributions are the mean of the members' (`Ensemble`), with the time each took.
    func runEnsemble(_ loaded: [(checkpoint: Checkpoint, file: String)]) throws {
        if parse || rightBranching {
            throw CLIError("--parse and --right-branching score one checkpoint; give a single --checkpoint")
        }
        let dataFile = try evaluationFile(data, for: loaded[0].checkpoint)
        let task = loaded[0].checkpoint.config.sentimentTask
        let treebank = task.prepare(try loadTreebankToScore(dataFile))
        let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let classes = loaded[0].checkpoint.model.classes
        let started = Date()
        var members: [ScoredMember] = []
        for (loadedCheckpoint, file) in loaded {
            var ckpt = loadedCheckpoint
            if let vectors = try unseen.vectorsFile(for: ckpt) {
                ckpt = try PretrainedVectors.extend(ckpt, for: treebank, file: vectors).checkpoint
            }
            let memberStart = Date()
            // Each member reads the words with its own vocabulary.
            let vocabulary = Vocabulary(words: ckpt.vocabulary, lowercase: ckpt.lowercase)
            let words = vocabulary.encode(treebank)
            let encoded = EncodedTreebank(treebank, words: words)
            let model = TreeModel<Float>(
                layout: ParameterLayout(ckpt.model), parameters: ckpt.parameters,
                threads: cores, maxTreeSize: encoded.maxTreeSize)
            let p = model.nodeProbabilities(encoded, parameters: ckpt.parameters)
            let metrics = Ensemble.metrics(of: p, classes: classes, treebank: treebank)
            members.append(
                ScoredMember(
                    file: file, checkpoint: ckpt,
                    unseen: UnknownWords(treebank, words: words, lowercase: ckpt.lowercase),
                    metrics: metrics, probabilities: p, seconds: Date().timeIntervalSince(memberStart)))
        }
        let averageStart = Date()
        let m = Ensemble.metrics(
            of: Ensemble.average(members.map(\.probabilities)), classes: classes, treebank: treebank)
        let averaging = Date().timeIntervalSince(averageStart)
        let seconds = Date().timeIntervalSince(started)
        if json {
            try printEnsembleJSON(
                members, m, dataFile: dataFile, seconds: seconds, averaging: averaging, task: task)
            return
        }
        print("ensemble   \(members.count) checkpoints, node class distributions averaged")
        for (k, member) in members.enumerated() {
            print(
                "member \(k + 1)   \(TerminalText.sanitized(member.file)) (\(checkpointSummary(member.checkpoint, file: member.file)))"
                    + (member.unseen.tokens > 0
                        ? ", \(counted(member.unseen.words.count, "word")) read as <unk>" : ""))
        }
        print("data       \(TerminalText.sanitized(dataFile)): \(m.trees) trees, \(m.nodes) nodes")
        // "3-cl" keeps the columns of "fine" for the binary task's 3-class argmax.
        let fine = task == .fine ? "fine" : "3-cl"
        print("\n            \(fine) all  \(fine) root  binary root  binary all   seconds")
        func row(_ title: String, _ x: Metrics, _ seconds: Double) {
            let cells = [x.fineAll, x.fineRoot, x.binaryRoot, x.binaryAll].map {
                percent($0).leftPadded(to: 11)
            }
            print(
                title.padding(toLength: 10, withPad: " ", startingAt: 0) + cells.joined()
                    + String(format: "%10.2f", seconds))
        }
        for (k, member) in members.enumerated() { row("member \(k + 1)", member.metrics, member.seconds) }
        row("ensemble", m, seconds)
        // The gain in the measure each member's `best` was picked by.
        let scores = members.map { task.selectionScore($0.metrics) }, score = task.selectionScore(m)
        let best = scores.max() ?? 0
        let mean = scores.reduce(0, +) / Double(members.count)
        let measure = task.selectionName
        print(
            "\nensemble \(measure) \(String(format: "%+.2f", 100 * (score - mean))) points vs the members' "
                + "mean, \(String(format: "%+.2f", 100 * (score - best))) vs the best member; "
                + String(format: "%.2f s in all (averaging %.3f s)", seconds, averaging))
        print("")
        accuracyLines(m, task: task).forEach { print($0) }
        print(
            "mean loss    \(String(format: "%.4f", m.meanLoss)) per node (−log of the averaged probability)")
        printConfusion("roots", m.confusionRoot, task: task)
        printConfusion("all nodes", m.confusionAll, task: task)
    }

    private func printEnsembleJSON(
        _ members: [ScoredMember], _ m: Metrics, dataFile: String, seconds: Double, averaging: Double,
        task: SentimentTask
    ) throws {
        func scores(_ x: Metrics) -> [String: Any] {
            [
                "fine_all": x.fineAll, "fine_root": x.fineRoot, "binary_root": x.binaryRoot,
                "binary_all": x.binaryAll,
            ]
        }
        let memberObjects = members.map { member -> [String: Any] in
            var object = scores(member.metrics)
            object["checkpoint"] = member.file
            object["model"] = member.checkpoint.model.kind.rawValue
            object["dim"] = member.checkpoint.model.dim
            object["epoch"] = member.checkpoint.progress.epochsCompleted
            object["seconds"] = member.seconds
            object["unseen_words"] = ["words": member.unseen.words.count, "tokens": member.unseen.tokens]
            return object
        }
        // The metric keys of a single checkpoint's object hold the ensemble's scores.
        var object = scores(m)
        object.merge(
            [
                "ensemble": members.count, "checkpoints": members.map(\.file), "members": memberObjects,
                "seconds": seconds, "averaging_seconds": averaging,
                "trees_per_second": Double(m.trees) / max(seconds, 1e-9),
                "data": dataFile, "trees": m.trees, "nodes": m.nodes, "task": task.rawValue,
                "confusion_root": m.confusionRoot, "confusion_all": m.confusionAll,
            ], uniquingKeysWith: { a, _ in a })
        let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: out, as: UTF8.self))
    }
}
