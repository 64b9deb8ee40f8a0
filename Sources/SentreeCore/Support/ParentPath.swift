/// The directory part of `path`, as `NSString.deletingLastPathComponent` gives it: `""` for a
/// bare name, `"/"` for a name at the root. That Foundation property traps on a
/// one-character path on Linux (`--out r` crashed), so sentree splits paths itself.
public func parentPath(_ path: String) -> String {
    var body = Substring(path)
    while body.count > 1, body.hasSuffix("/") { body = body.dropLast() }
    guard let slash = body.lastIndex(of: "/") else { return "" }
    if slash == body.startIndex { return "/" }
    var parent = body[..<slash]
    while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
    return String(parent)
}
