/// A problem in treebank text: an `InputError`, under the name the treebank API has always used.
public typealias TreebankError = InputError
