import Foundation

/// Reader and writer of the safetensors container (https://github.com/huggingface/safetensors).
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
///   "__metadata__": {"key": "value", ...}}` padded with spaces to a multiple of 8, then the
/// raw little-endian tensor bytes, offsets relative to the end of the header. The reader
/// validates every field so that no byte sequence can crash it.
public enum SafeTensors {
    /// One tensor's entry in the header.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        /// Byte range inside the data section.
        public var range: Range<Int>
    }

    /// A parsed file: entries in data order, metadata, and the data section.
    public struct File: Sendable {
        public var entries: [Entry]
        public var metadata: [String: String]
        public var data: Data

        public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }
    }

    /// Bytes per element of the supported dtypes.
    static let dtypeSizes = ["F32": 4, "F64": 8, "I64": 8, "I32": 4, "U8": 1]

    /// The longest header read (256 MiB). A checkpoint's header holds its vocabulary and its
    /// history, a few MB for SST (a million epochs of history would be about 240 MiB); a
    /// length field that claims gigabytes is damage, refused before anything is read.
    public static let maximumHeaderBytes = 256 << 20

    /// The bytes of the safetensors file at `path` that `parse` reads: the length field is
    /// checked against `maximumHeaderBytes` and the file's size, then the header is read,
    /// then the data its tensors span. A sparse 2 GiB file whose length field says 2 GiB was
    /// read whole (5.3 GB of memory); bytes beyond the last tensor are refused unread.
    public static func read(_ path: String) throws -> Data {
        func fail(_ message: String) -> CheckpointError { CheckpointError(path, message) }
        let file: RegularFile
        do { file = try RegularFile(path) } catch { throw fail(error.message) }
        do {
            let prefix = try file.read(at: 0, count: 8)
            guard prefix.count == 8, file.size >= 8 else { return prefix }  // parse() says what is wrong
            let n = try headerLength(prefix, fileSize: file.size, path: path)
            let header = try file.read(at: 8, count: n)
            let dataBytes = file.size - 8 - n
            if let spanned = dataLength(header), dataBytes > spanned {
                throw fail(
                    "\(dataBytes - spanned) bytes after the last tensor's data (file damaged or not a checkpoint)"
                )
            }
            return prefix + header + (try file.read(at: 8 + n, count: dataBytes))
        } catch let error as FileProblem {
            throw fail(error.message)
        }
    }

    /// The header length of a file's first 8 bytes, checked against the limit and the size.
    static func headerLength(_ prefix: Data, fileSize: Int, path: String) throws -> Int {
        let n = prefix.prefix(8).enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard n <= UInt64(maximumHeaderBytes) else {
            throw CheckpointError(
                path,
                "header length \(n) is more than the limit of \(maximumHeaderBytes) bytes (256 MiB): "
                    + "file damaged or not a checkpoint")
        }
        guard n <= UInt64(fileSize - 8) else {
            throw CheckpointError(
                path,
                "header length \(n) exceeds the file size \(fileSize) (file truncated or not a checkpoint)")
        }
        return Int(n)
    }

    /// The bytes the header's tensors span (the largest end offset), or nil when the header
    /// is not one `parse` accepts (it then says why).
    static func dataLength(_ header: Data) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            return nil
        }
        var end = 0
        for (name, value) in object where name != "__metadata__" {
            guard let offsets = (value as? [String: Any])?["data_offsets"] as? [Int], offsets.count == 2
            else {
                return nil
            }
            end = max(end, offsets[1])
        }
        return end
    }

    /// Encodes Float32 tensors and string metadata.
    public static func encode(
        tensors: [(name: String, shape: [Int], values: [Float])],
        metadata: [String: String]
    ) throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for t in tensors {
            let bytes = t.values.count * 4
            header[t.name] =
                ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        header["__metadata__"] = metadata
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for t in tensors {
            t.values.withUnsafeBufferPointer { buf in
                // Stored little-endian; every platform Swift runs on here is little-endian.
                out.append(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: UInt8.self),
                        count: buf.count * 4))
            }
        }
        return out
    }

    /// Parses and validates a whole file's bytes; `path` is used in error messages.
    public static func parse(_ bytes: Data, path: String) throws -> File {
        func fail(_ message: String) -> CheckpointError { CheckpointError(path, message) }
        guard bytes.count >= 8 else {
            throw fail("not a safetensors file: \(bytes.count) bytes, expected at least 8 (file truncated?)")
        }
        let n = try headerLength(bytes.prefix(8), fileSize: bytes.count, path: path)
        let headerBytes = bytes.subdata(in: (bytes.startIndex + 8) ..< (bytes.startIndex + 8 + n))
        guard let object = try? JSONSerialization.jsonObject(with: headerBytes),
            let header = object as? [String: Any]
        else {
            throw fail("header is not a JSON object (file corrupted?)")
        }
        let data = bytes.subdata(in: (bytes.startIndex + 8 + n) ..< bytes.endIndex)
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let m = m as? [String: String] else {
                throw fail("__metadata__ must map strings to strings")
            }
            metadata = m
        }
        var entries: [Entry] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any],
                let dtype = info["dtype"] as? String,
                let shape = info["shape"] as? [Int],
                let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else {
                throw fail("tensor '\(name)': expected dtype, shape and data_offsets [begin, end]")
            }
            guard let size = dtypeSizes[dtype] else {
                throw fail("tensor '\(name)': unsupported dtype \(dtype)")
            }
            guard shape.allSatisfy({ $0 >= 0 && $0 < 1 << 31 }) else {
                throw fail("tensor '\(name)': invalid shape \(shape)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= data.count else {
                throw fail(
                    "tensor '\(name)': data_offsets [\(begin), \(end)] outside the \(data.count)-byte data section (file truncated?)"
                )
            }
            // Overflow-checked: a hostile shape must give an error, not a trap.
            let elements = shape.reduce(Int?(1)) { n, s in
                n.flatMap {
                    let (p, o) = $0.multipliedReportingOverflow(by: s); return o ? nil : p
                }
            }
            let byteCount = elements.flatMap {
                let (p, o) = $0.multipliedReportingOverflow(by: size); return o ? nil : p
            }
            guard let byteCount, end - begin == byteCount else {
                throw fail("tensor '\(name)': \(end - begin) bytes do not hold shape \(shape) of \(dtype)")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, range: begin ..< end))
        }
        entries.sort { $0.range.lowerBound < $1.range.lowerBound }
        for (a, b) in zip(entries, entries.dropFirst()) where a.range.upperBound > b.range.lowerBound {
            throw fail("tensors '\(a.name)' and '\(b.name)' overlap")
        }
        return File(entries: entries, metadata: metadata, data: data)
    }

    /// The values of an F32 tensor.
    public static func floats(_ entry: Entry, in data: Data) -> [Float] {
        let count = entry.range.count / 4
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[entry.range]))
            }
        }
        return out
    }
}
