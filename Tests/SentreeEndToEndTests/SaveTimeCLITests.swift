import Foundation
import Testing

/// The epoch line counts the time spent saving (#18 item 18): `--save-interval 0` once
/// saved after every minibatch while the lines said 0.1 s epochs.
@Suite struct SaveTimeCLITests {
    @Test func headlessEpochLinesShowTheSaveTime() throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let r = try sentree(
            ["train", "--data", data, "--out", data + "/run", "--epochs", "3", "--save-interval", "0"]
                + trainOptions)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.outputLines.filter { $0.hasPrefix("epoch ") }
        #expect(lines.count == 3, "\(r.stdout)")
        for line in lines {
            #expect(line.contains(#/  \d+\.\d\ds  save \d+\.\d\ds  \d+ trees/s/#), "\(line)")
        }
    }
}
