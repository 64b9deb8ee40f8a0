/// How text that opens with `(` is read when nobody said whether it is a tree: as a PTB tree
/// (`tree`), and if it is none but reads as a plain sentence ("(Honestly) the plot is thin"),
/// as that sentence; if it is neither, the tree's error, which says more. `sentree predict`
/// and the dashboard's probes share this rule, so a line reads the same in both.
public func treeOrSentence<T>(tree: () throws -> T, sentence: () throws -> T) throws -> T {
    do {
        return try tree()
    } catch let treeError as InputError {
        guard let read = try? sentence() else { throw treeError }
        return read
    }
}
