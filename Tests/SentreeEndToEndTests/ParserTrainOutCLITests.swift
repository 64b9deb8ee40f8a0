import Foundation
import Testing

/// `sentree parser train --out` that cannot be written is refused before the first epoch:
/// it used to be found only when the trained parser was saved, minutes of work lost.
@Suite struct ParserTrainOutCLITests {
    @Test(arguments: ["missing/p.safetensors", "."])
    func anUnwritableOutIsRefusedBeforeTraining(_ relative: String) throws {
        let data = try makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let out = relative == "." ? data : data + "/" + relative
        let r = try sentree(["parser", "train", "--data", data, "--out", out] + smallParserOptions)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("cannot write the parser to \(out)"), "\(r.stderr)")
        #expect(!r.stdout.contains("epoch 1"), "\(r.stdout)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
