import Foundation
import Testing

/// The folders of `Sources/SentreeCore` form layers (docs/layout.md): a file may use what its
/// own folder or a lower layer declares, never a higher or a sibling one. This reads the
/// sources as text: every top-level type or function belongs to its folder, and a file that
/// names one from a folder above its own fails the test.
@Suite struct LayeringTests {
    /// Low to high. Folders on one line are siblings: they must not use each other.
    static let layers: [[String]] = [
        ["Support"],
        ["Text", "Kernels"],
        ["Treebank", "Data"],
        ["Parameters", "Evaluation"],
        ["Embeddings"],
        ["Engine"],
        ["Models"],
        ["Configuration"],
        ["Checkpoint"],
        ["Training", "Parsing"],
        ["Sweep"],
    ]

    static var coreRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SentreeCore")
    }

    /// Source text with comments and string literals blanked, so prose cannot count as use.
    static func code(_ text: String) -> String {
        let noBlock = text.replacing(/\/\*[\s\S]*?\*\//, with: "")
        let noLine = noBlock.replacing(/\/\/[^\n]*/, with: "")
        return noLine.replacing(/"(?:[^"\\\n]|\\.)*"/, with: "\"\"")
    }

    /// Names declared at the top level of `text` and visible to other files: types, type
    /// aliases and free functions.
    static func declarations(_ text: String) -> [String] {
        let pattern =
            /(?m)^((?:(?:public|internal|private|fileprivate|final|indirect)\s+)*)(?:struct|enum|class|protocol|actor|typealias|func)\s+([A-Za-z_]\w*)/
        return text.matches(of: pattern).filter { !$0.1.contains("private") }.map { String($0.2) }
    }

    struct Violation: CustomStringConvertible {
        let file: String, name: String, from: String, to: String
        var description: String { "\(file) (\(from)) uses \(name) from \(to), which is not below it" }
    }

    static func violations() throws -> (files: Int, found: [Violation], unknown: [String]) {
        let rank = Dictionary(
            uniqueKeysWithValues: layers.enumerated().flatMap { k, row in row.map { ($0, k) } })
        var owner: [String: String] = [:]
        var sources: [(path: String, folder: String, code: String)] = []
        var unknown: Set<String> = []
        let root = coreRoot
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let folder = String(relative.split(separator: "/").first ?? "")
            if rank[folder] == nil { unknown.insert(folder) }
            let text = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
            let code = Self.code(text)
            for name in declarations(code) where owner[name] == nil { owner[name] = folder }
            sources.append((relative, folder, code))
        }
        var found: [Violation] = []
        for source in sources {
            guard let own = rank[source.folder] else { continue }
            // A member (`Self.resize`) or a name the file declares itself is not a use of
            // another folder's declaration of the same name.
            let local = Set(
                source.code.matches(of: /(?:func|struct|enum|class|protocol|typealias)\s+([A-Za-z_]\w*)/)
                    .map { String($0.1) })
            let words = Set(source.code.matches(of: /(^|[^.\w])([A-Za-z_]\w*)/).map { String($0.2) })
            for word in words where !local.contains(word) {
                guard let folder = owner[word], folder != source.folder, let theirs = rank[folder] else {
                    continue
                }
                if theirs >= own {
                    found.append(Violation(file: source.path, name: word, from: source.folder, to: folder))
                }
            }
        }
        return (sources.count, found.sorted { "\($0)" < "\($1)" }, unknown.sorted())
    }

    @Test func everyFolderHasALayer() throws {
        let result = try Self.violations()
        #expect(result.files > 50, "found only \(result.files) source files under \(Self.coreRoot.path)")
        #expect(result.unknown.isEmpty, "folders missing from LayeringTests.layers: \(result.unknown)")
    }

    @Test func dependenciesPointDown() throws {
        let result = try Self.violations()
        #expect(result.found.isEmpty, "\(result.found.map(\.description).joined(separator: "\n"))")
    }

    /// The checker itself: a use of a higher folder's type is found, a comment is not.
    @Test func checkerSeesUpwardUseAndIgnoresComments() {
        let code = Self.code(
            """
            // TrainingConfig in a comment
            let s = "Trainer in a string"
            struct Local { var x: Trainer }
            """)
        #expect(code.contains("Trainer"))
        #expect(!code.contains("TrainingConfig"))
        #expect(!code.contains("in a string"))
        let declared =
            "public final class Trainer {}\nfunc errnoText() {}\n  struct Nested {}\nprivate func add() {}"
        #expect(Self.declarations(declared) == ["Trainer", "errnoText"])
    }
}
