import Foundation
import Testing

/// `sentree view` of a finished `--dev-every` run whose best fell inside an epoch, in a real
/// terminal: the runs table and the header name the place `train` printed.
@Suite(.serialized) struct DevEveryViewEndToEndTests {
    @Test(.enabled(if: tmuxPath != nil && sentreeBinary != nil), arguments: [(120, 40), (80, 24)])
    func viewShowsTheBestInsideAnEpoch(_ width: Int, _ height: Int) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let (run, place, fineRoot) = try DevEveryReadersCLITests.trainInner(data)
        let tmux = TmuxSession()
        let exit = try startView(tmux, run, width: width, height: height)
        // The run's row: epochs done, the best's place and its fine root (the columns between
        // differ with the width), e.g. `2/2 0.40 … 40.00`.
        let screen = try tmux.waitFor(30, "the run's row with its best") { screen in
            screen.split(separator: "\n").contains {
                $0.contains("inner") && $0.contains(" 2/2 \(place) ") && $0.contains(" \(fineRoot) ")
            }
        }
        #expect(screen.contains(" best "), "\(screen)")
        if width >= 120 {
            // The predictions come from `best`, saved at that evaluation.
            let header = try tmux.waitFor(30, "the checkpoint's place") {
                $0.contains("trees: best, epoch \(place)")
            }
            #expect(!header.contains("trees: best, epoch 1 "), "\(header)")
        }
        try quitsCleanly(tmux, exitFile: exit)
    }
}
