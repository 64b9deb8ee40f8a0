/// A gradient in canonical layout, with the embedding matrix stored sparsely.
///
/// Only the rows of `L` that a minibatch touched are non-zero, so they are kept as a list
/// of (row, values); everything after `L` in the layout is dense. This keeps a minibatch's
/// update proportional to its words, not to the vocabulary.
public struct Gradient<T: ModelScalar>: Sendable {
    public let layout: ParameterLayout
    /// Gradient of every tensor after L: `dense[k]` belongs to parameter `L.count + k`.
    public var dense: [T]
    /// Touched rows of L, in first-touch order.
    public var rows: [Int32] = []
    /// `rows.count × x` values, row by row (x = `inputWidth`, the width of a row of L).
    public var rowValues: [T] = []

    public init(layout: ParameterLayout) {
        self.layout = layout
        dense = [T](repeating: 0, count: layout.count - layout.L.count)
    }

    /// Copies the touched rows of a padded gradient buffer for L (`stride` scalars per row).
    mutating func takeRows(_ touched: [Int32], from gL: UnsafePointer<T>, stride: Int) {
        let x = layout.config.inputWidth
        rows = touched
        rowValues.reserveCapacity(touched.count * x)
        for row in touched {
            let p = gL + Int(row) * stride
            for j in 0 ..< x { rowValues.append(p[j]) }
        }
    }

    /// Copies the touched rows of a compact gradient buffer whose row k (`stride` scalars)
    /// belongs to L row `touched[k]`.
    mutating func takeSlots(_ touched: [Int32], from gL: UnsafePointer<T>, stride: Int) {
        let x = layout.config.inputWidth
        rows = touched
        // An empty shard (fewer trees than threads) touches no row. Building an array of
        // capacity 0 this way stores its count into the shared empty-array singleton, a write
        // (of the same 0) that ThreadSanitizer reports against every thread reading one.
        guard !touched.isEmpty else { rowValues = []; return }
        rowValues = [T](unsafeUninitializedCapacity: touched.count * x) { buffer, count in
            for k in touched.indices { copyExact(n: x, gL + k * stride, buffer.baseAddress! + k * x) }
            count = touched.count * x
        }
    }

    /// The gradient as one dense vector in layout order (for checks and tests).
    public func densified() -> [T] {
        let d = layout.config.inputWidth
        var full = [T](repeating: 0, count: layout.L.count) + dense
        for (k, row) in rows.enumerated() {
            for j in 0 ..< d { full[Int(row) * d + j] += rowValues[k * d + j] }
        }
        return full
    }

    /// Adds `other` (rows are merged; new rows are appended in `other`'s order).
    ///
    /// `rowSlot` maps an L row to its index in `rows` (or -1); it must be all -1 for rows
    /// not in `self` and is kept in sync. Passing it in avoids a dictionary per minibatch.
    public mutating func add(_ other: Gradient<T>, rowSlot: inout [Int32]) {
        for i in dense.indices { dense[i] += other.dense[i] }
        let d = layout.config.inputWidth
        for (k, row) in other.rows.enumerated() {
            var slot = Int(rowSlot[Int(row)])
            if slot < 0 {
                slot = rows.count
                rowSlot[Int(row)] = Int32(slot)
                rows.append(row)
                rowValues.append(contentsOf: repeatElement(0, count: d))
            }
            for j in 0 ..< d { rowValues[slot * d + j] += other.rowValues[k * d + j] }
        }
    }
}
