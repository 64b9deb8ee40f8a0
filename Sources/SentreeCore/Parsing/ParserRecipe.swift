import Foundation

/// How a parser file was trained, against how `parser train` would train one today.
///
/// A parser cached in a data directory stays in use after an upgrade changes the training
/// defaults, so the commands that find it say when it is older than today's recipe: the
/// user keeps the trees they had (nothing retrains behind their back) and learns that
/// `parser train` would give better ones. A parser trained with settings of the user's own
/// choosing is theirs, and nothing is said about it.
extension ParserTrainingOptions {
    /// The `recipe` metadata value: whether these are the defaults of their time ("default")
    /// or settings someone chose ("custom"). Word width, vectors, seed and threads are left
    /// out: they follow the data or do not change what the parser is.
    public var recipe: String {
        let theirs = ParserTrainingOptions()
        // The settings the file records, compared as the outdated-parser check reads them,
        // plus the batch size, which it does not record.
        let same =
            config.comparable(to: theirs.config) == theirs.config && batchSize == theirs.batchSize
            && SpanParser.recordedSettings.allSatisfy { $0.today(self) == $0.today(theirs) }
        return same ? "default" : "custom"
    }
}

extension SpanParser {
    /// For a parser trained with the defaults of its time that today's defaults would train
    /// otherwise: each setting that differs, as "name was X, now Y". Empty otherwise.
    public func outdatedSettings(today options: ParserTrainingOptions) -> [String] {
        guard madeByDefaults else { return [] }
        let mine = layout.config, theirs = options.config
        var rows: [(String, String, String)] = [
            ("LSTM width", String(mine.hidden), String(theirs.hidden)),
            ("LSTM layers", String(mine.layers), String(theirs.layers)),
            ("span scorer width", String(mine.spanHidden), String(theirs.spanHidden)),
            ("ending width", String(mine.suffixDim), String(theirs.suffixDim)),
            ("shape width", String(mine.shapeDim), String(theirs.shapeDim)),
            ("character channels", String(mine.charChannels), String(theirs.charChannels)),
        ]
        if mine.hasCharacters && theirs.hasCharacters {
            rows.append(("character width", String(mine.charDim), String(theirs.charDim)))
        }
        for setting in Self.recordedSettings {
            rows.append((setting.name, info[setting.key] ?? setting.before, setting.today(options)))
        }
        var outdated = rows.compactMap { name, was, now in
            sameNumber(was, now) ? nil : "\(name) was \(was), now \(now)"
        }
        if outdated.isEmpty && mine.comparable(to: theirs) != theirs {
            outdated.append("the network's sizes differ")
        }
        return outdated
    }

    /// Whether the file says it was trained with the defaults of its day. Files from before
    /// the `recipe` key (2026-12-05) count when they hold that day's defaults.
    var madeByDefaults: Bool {
        if let recipe = info["recipe"] { return recipe == "default" }
        let c = layout.config
        guard c.hidden == 192, c.layers == 1, c.spanHidden == 256, c.suffixDim == 16, c.shapeDim == 8,
            !c.hasCharacters
        else { return false }
        return Self.recordedSettings.allSatisfy { setting in
            let value = info[setting.key] ?? setting.before
            return setting.formerDefaults.contains { sameNumber($0, value) }
        }
    }

    /// A training setting the file records in its metadata.
    struct RecordedSetting: Sendable {
        let key: String
        let name: String
        /// Its value in files written before the key existed.
        let before: String
        /// Its defaults before the `recipe` key existed.
        let formerDefaults: [String]
        let today: @Sendable (ParserTrainingOptions) -> String
    }

    static let recordedSettings: [RecordedSetting] = [
        RecordedSetting(key: "epochs", name: "epochs", before: "10", formerDefaults: ["10"]) {
            String($0.epochs)
        },
        RecordedSetting(key: "loss", name: "loss", before: "hinge", formerDefaults: ["hinge"]) {
            $0.loss.rawValue
        },
        RecordedSetting(
            key: "learning_rate", name: "learning rate", before: "0.004", formerDefaults: ["0.004"]
        ) {
            String($0.learningRate)
        },
        RecordedSetting(
            key: "learning_rate_decay", name: "learning rate decay", before: "0.8", formerDefaults: ["0.8"]
        ) { String($0.learningRateDecay) },
        RecordedSetting(key: "dropout", name: "dropout", before: "0.2", formerDefaults: ["0.2"]) {
            String($0.dropout)
        },
        // Until the option existed, training replaced words at a fixed α = 0.25.
        RecordedSetting(
            key: "word_dropout", name: "word dropout", before: "0.25", formerDefaults: ["0.25", "4"]
        ) {
            String($0.wordDropout)
        },
    ]
}

extension ParserConfig {
    /// These sizes with what does not shape the network learned from a recipe taken from
    /// `other`: the word width (it follows the vectors file) and, without characters, the
    /// character width (no file keeps it then).
    func comparable(to other: ParserConfig) -> ParserConfig {
        var c = self
        c.wordDim = other.wordDim
        if !c.hasCharacters { c.charDim = other.charDim }
        return c
    }
}

/// "0.2" and "0.20" are one setting; text that is not a number compares as text.
private func sameNumber(_ a: String, _ b: String) -> Bool {
    if let x = Double(a), let y = Double(b) { return x == y }
    return a == b
}
