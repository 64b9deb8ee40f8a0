/// The line a training session ends with, headless on stdout and after the dashboard has
/// given the terminal back: one wording, so scripts and people read the same thing.
///
/// `epoch` is the best epoch of the session, with its dev figures; `run` is the run's folder,
/// whose `best.safetensors` holds that epoch's parameters. `position` places a best that
/// fell inside the epoch (`--dev-every`), in epochs: 2.25 is a quarter into epoch 3.
///
/// A binary-task run leads with the binary root that picked its `best`.
public func runSummary(
    epoch: Int, fineRoot: Double, fineAll: Double, binaryRoot: Double,
    run: RunFiles, task: SentimentTask = .fine, position: Double? = nil
) -> String {
    let at = evaluationPlace(epoch: epoch, position: position)
    guard task == .fine else {
        let name = task.argmaxName
        return
            "best dev binary root \(percent(binaryRoot)) at epoch \(at) (\(name) all \(percent(fineAll)), "
            + "\(name) root \(percent(fineRoot))): \(TerminalText.sanitized(run.bestPath))"
    }
    return "best dev fine root \(percent(fineRoot)) at epoch \(at) (fine all \(percent(fineAll)), "
        + "binary root \(percent(binaryRoot))): \(TerminalText.sanitized(run.bestPath))"
}
