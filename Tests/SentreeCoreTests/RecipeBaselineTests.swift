import Testing
@testable import SentreeCore

/// With the recipe options (leaf dropout, state dropout, classifier MLP) off, training is
/// bit for bit what it was before they existed: the fingerprints below were recorded by this
/// test on main at 7112883, before the options were added. A change to the engine's plain
/// path (an extra rounding, a reordered sum, a moved draw of the generator) changes them.
@Suite struct RecipeBaselineTests {
    /// FNV-1a of the parameters' bit patterns after `SmallRun`'s 2 epochs with classifier
    /// dropout 0.3 (so the masked path is pinned as well as the plain one), per model.
    static let recorded: [ModelKind: UInt64] = [
        .rnn: 0x0D53_0028_C255_180F, .rnn2: 0x285E_5719_1398_AC89,
        .rntn: 0xDEB1_C11E_F2AA_1B56, .treelstm: 0xEF7D_1EFC_545C_7917,
    ]

    static func fingerprint(_ p: [Float]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for v in p {
            var bits = v.bitPattern
            for _ in 0 ..< 4 {
                h = (h ^ UInt64(bits & 0xFF)) &* 0x100_0000_01B3
                bits >>= 8
            }
        }
        return h
    }

    @Test(arguments: ModelKind.allCases)
    func optionsOffTrainAsBefore(kind: ModelKind) throws {
        let small = try SmallRun()
        let c = small.config(epochs: 2) {
            $0.model = kind
            $0.inputDim = kind.defaultInputDim == nil ? nil : 6
            $0.dropout = 0.3
        }
        let got = Self.fingerprint(try small.run(c))
        #expect(got == Self.recorded[kind])
    }
}
