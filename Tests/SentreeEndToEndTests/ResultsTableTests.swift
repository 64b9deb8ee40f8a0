import Foundation
import Testing

/// The README's results table is written by `docs/results/make-tables.sh`; its headline row
/// (the default rnn, one seed, its thread count pinned, a couple of seconds to train) must
/// be what a fresh run of the command the row names gives today. A change that moves the
/// default model's accuracy fails here until the table is made again.
@Suite struct ResultsTableTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The table's rows, as cells, between the README's `results-table` markers.
    static func readmeRows() throws -> [[String]] {
        let readme = try String(contentsOfFile: repository + "/README.md", encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let begin = try #require(lines.firstIndex { $0.hasPrefix("<!-- results-table:begin") })
        let end = try #require(lines.firstIndex { $0.hasPrefix("<!-- results-table:end") })
        return lines[begin + 1 ..< end].filter { $0.hasPrefix("| ") && !$0.hasPrefix("| model ") }.map {
            line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test func theTableHasEveryRowOfRowsTSV() throws {
        let spec = try String(contentsOfFile: Self.repository + "/docs/results/rows.tsv", encoding: .utf8)
        let labels = spec.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            String($0.split(separator: "\t")[0])
        }
        #expect(try Self.readmeRows().map { $0[0] } == labels)
    }

    @Test(.enabled(if: sentreeBinary != nil && FirstRunEndToEndTests.sst != nil, "needs SST"))
    func theHeadlineRowMatchesAFreshRun() throws {
        let row = try #require(try Self.readmeRows().first)
        // `sentree train --model rnn --seed 1 --threads 2`, in backticks.
        let command = row[6].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        var arguments = command.split(separator: " ").map(String.init)
        #expect(Array(arguments.prefix(2)) == ["sentree", "train"] && !command.contains(" S "))
        arguments.removeFirst()
        let run = try temporaryDirectory("sentree-results-table") + "/run"
        defer { try? FileManager.default.removeItem(atPath: run) }
        let trained = try sentree(
            arguments + ["--headless", "--data", try #require(FirstRunEndToEndTests.sst), "--out", run])
        #expect(trained.status == 0, "\(trained.stderr)")
        let summary = try sentree(["export", run, "--summary", "--csv", "-"])
        let lines = summary.outputLines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try #require(lines.first).map(String.init)
        let best = try #require(lines.dropFirst().first)
        let cells = ["fine_all", "fine_root", "binary_root", "binary_all"].map { key -> String in
            guard let i = header.firstIndex(of: key), let value = Double(best[i]) else { return "?" }
            return String(format: "%.2f%%", 100 * value)
        }
        #expect(cells == Array(row[2 ... 5]), "fresh run of `\(command)` against the README's row")
    }
}
