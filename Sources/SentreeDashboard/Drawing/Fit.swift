/// The one rule for text cut at an edge: whole when it fits; else as much as fits followed by
/// `…` (which the ASCII fallback draws as `~`), cut after a whole word when that keeps at
/// least half the room, so a reader sees where the text goes on rather than a stump.
///
/// Trailing spaces beyond the edge are not text: a padded field that fits once they go is
/// whole, with no ellipsis.
func fit(_ text: String, width: Int) -> String {
    guard width > 0 else { return "" }
    var characters = Array(text)
    guard characters.count > width else { return text }
    while characters.count > width, characters.last == " " { characters.removeLast() }
    guard characters.count > width else { return String(characters) }
    guard width > 1 else { return "…" }
    var cut = width - 1
    // A space at or before the cut ends a whole word; the one at `cut` itself counts too.
    if let space = characters[...cut].lastIndex(of: " "), space >= width / 2 { cut = space }
    var head = characters[..<cut]
    while head.last == " " { head.removeLast() }
    return String(head) + "…"
}
