/// The per-step loss series, kept so that drawing it costs the same at 100 or 10 million
/// steps.
///
/// Steps are folded into at most `maxBuckets` buckets (min, max, and the smoothed value
/// at the bucket's end); when they fill up, neighbours merge and each bucket covers twice
/// as many steps. The raw series is kept only to recompute the smoothing when the user
/// changes it.
public struct LossHistory: Sendable, Equatable {
    public static let maxBuckets = 2048

    public private(set) var raw: [Float] = []
    /// EMA weight in [0, 0.99] (TensorBoard's "smoothing").
    public private(set) var smoothing: Double
    /// Steps per bucket (a power of two).
    public private(set) var bucketSize = 1
    public private(set) var lows: [Float] = []
    public private(set) var highs: [Float] = []
    /// Debiased EMA at the last step of each bucket.
    public private(set) var smoothed: [Float] = []
    private var ema = 0.0
    private var correction = 1.0

    public init(smoothing: Double = 0.9) { self.smoothing = smoothing }

    public var count: Int { raw.count }
    public var last: Float? { raw.last }

    /// Adds one step's loss: O(1) amortized.
    public mutating func append(_ value: Float) {
        raw.append(value)
        ema = smoothing * ema + (1 - smoothing) * Double(value)
        correction *= smoothing
        let smooth = Float(smoothing == 0 ? Double(value) : ema / (1 - correction))
        if (raw.count - 1) % bucketSize == 0 {
            lows.append(value)
            highs.append(value)
            smoothed.append(smooth)
            if lows.count > Self.maxBuckets { mergePairs() }
        } else {
            let k = lows.count - 1
            lows[k] = min(lows[k], value)
            highs[k] = max(highs[k], value)
            smoothed[k] = smooth
        }
    }

    /// Changes the smoothing and recomputes the smoothed series from the raw steps.
    public mutating func setSmoothing(_ weight: Double) {
        let values = raw
        self = LossHistory(smoothing: weight)
        raw.reserveCapacity(values.count)
        for v in values { append(v) }
    }

    private mutating func mergePairs() {
        var l: [Float] = [], h: [Float] = [], s: [Float] = []
        l.reserveCapacity(Self.maxBuckets / 2 + 1)
        var k = 0
        while k < lows.count {
            let j = min(k + 1, lows.count - 1)
            l.append(min(lows[k], lows[j]))
            h.append(max(highs[k], highs[j]))
            s.append(smoothed[j])
            k += 2
        }
        lows = l; highs = h; smoothed = s
        bucketSize *= 2
    }
}
