import SentreeCore
import Testing

@testable import SentreeDashboard

/// The header of a run whose settings do not fit beside the state (the treelstm recipe on the
/// binary task, training on neutral roots, with GloVe): on a tall screen the rest get a row of
/// their own under the progress line, ranked as in the first; at 80x24 they are left out.
@Suite struct HeaderSettingsRowTests {
    static func config() -> TrainingConfig {
        var c = ModelKind.treelstm.trainingDefaults
        c.task = .binary
        c.neutralRoots = .keep
        c.embeddings = "/data/glove.6B.50d.top100k.txt"
        return c
    }

    static func state(_ config: TrainingConfig) throws -> DashboardState {
        var setup = try Fixture.setup()
        setup.config = config
        var s = DashboardState(setup: setup)
        s.apply(.state(.running))
        return s
    }

    @Test func aTallScreenShowsTheSettingsTheFirstRowLeftOut() throws {
        var grid = CellGrid(width: 120, height: 40)
        let coverage = EmbeddingCoverage(
            file: "/data/glove.6B.50d.top100k.txt", dimension: 50, wordsFound: 920, words: 1000,
            tokensFound: 99, tokens: 100)
        renderHeader(
            HeaderInput(
                config: Self.config(), embeddings: coverage, runDirectory: "runs/t", trainer: .running),
            &grid, RenderOptions())
        let first = grid.line(0), third = grid.line(2)
        #expect(first.hasPrefix(" sentree   treelstm d=150 x=300  task binary (SST-2)  "), "\(first)")
        #expect(first.contains("  dev every 0.25ep  patience 12  "), "\(first)")
        #expect(
            third.hasPrefix(
                "           leaf dropout 0.25  state dropout 0.25  neutral roots in train  batch 25  "
                    + "glove.6B.50d.top100k 92% words"), "\(third)")
        // Each setting once, in one of the two rows.
        for setting in Self.config().settingDescriptions {
            let rows = [first, third].filter { $0.contains(setting) }.count
            #expect(rows <= 1, "\(setting)\n\(first)\n\(third)")
        }
        #expect(grid.line(1).hasPrefix(" epoch 0/"), "\(grid.line(1))")
    }

    @Test func theBodyMovesDownARowOnlyWhereTheHeaderNeedsIt() throws {
        let tall = try Self.state(Self.config())
        #expect(tall.headerHeight(width: 120, height: 40) == 3)
        let grid = render(tall, width: 120, height: 40)
        #expect(grid.line(2).contains("neutral roots in train"), "\(grid.text)")
        #expect(grid.line(3).hasPrefix(" loss "), "\(grid.text)")
        #expect(!grid.line(2).contains("words"), "no coverage before the vectors are read: \(grid.line(2))")
        #expect(tall.layout(width: 120, height: 40).loss.y == 3)
        // 80x24 keeps its body: the rest are left out, the task and the model stay.
        #expect(tall.headerHeight(width: 80, height: 24) == 2)
        let small = render(tall, width: 80, height: 24)
        #expect(small.line(0).hasPrefix(" sentree   treelstm d=150 x=300  task binary (SST-2)  "))
        #expect(small.line(0).contains(" RUNNING "), "\(small.line(0))")
        #expect(small.line(2).hasPrefix(" loss "), "\(small.text)")
        // A run whose settings all fit keeps the 2 rows at any size.
        let plain = try Fixture.state()
        #expect(plain.headerHeight(width: 120, height: 40) == 2)
        #expect(render(plain, width: 120, height: 40).line(2).hasPrefix(" loss "))
    }

    /// The row is decided by the settings, not by the state label that changes with every
    /// evaluation: the body does not jump between RUNNING and EVALUATING.
    @Test func theRowsDoNotDependOnTheState() throws {
        var s = try Self.state(Self.config())
        for state in TrainerState.allCases {
            s.trainer = state
            #expect(s.headerHeight(width: 120, height: 40) == 3, "\(state)")
            #expect(render(s, width: 120, height: 40).line(3).hasPrefix(" loss "), "\(state)")
        }
        // A click lands on the panel drawn there: the loss title on row 3, the header above.
        s.trainer = .running
        s.views.screenWidth = 120
        s.views.screenHeight = 40
        s.focus = .browser
        _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: 2)))
        #expect(s.focus == .browser, "the header's third row is no panel")
        _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: 3)))
        #expect(s.focus == .loss)
    }
}
