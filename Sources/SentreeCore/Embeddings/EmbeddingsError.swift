/// Word vectors that do not fit the model that should read them (a malformed file is an
/// `InputError` instead, with its line and column).
public struct EmbeddingsError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
