import Testing

/// `gradcheck` and `parser gradcheck` refuse settings under which nothing is checked: with no
/// trees or a zero step they printed PASS, and `--trees=-1` trapped.
@Suite struct GradcheckSettingsCLITests {
    @Test(arguments: [
        (["gradcheck", "--trees=-1"], "--trees must be from 1 to 1000 (got -1)"),
        (["gradcheck", "--trees", "0"], "--trees must be from 1 to 1000 (got 0)"),
        (["gradcheck", "--epsilon", "0"], "--epsilon must be a positive number below 1 (got 0.0)"),
        (["parser", "gradcheck", "--sentences", "0"], "--sentences must be from 1 to 1000 (got 0)"),
        (["parser", "gradcheck", "--epsilon=-1"], "--epsilon must be a positive number below 1 (got -1.0)"),
    ])
    func nothingCheckedIsRefused(_ arguments: [String], _ message: String) throws {
        let r = try sentree(arguments)
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!r.stdout.contains("PASS"), "\(r.stdout)")
    }
}
