import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ZIPFoundation

/// Why the SST files could not be found, copied, downloaded or unpacked.
public struct SSTDataError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Finds the Stanford Sentiment Treebank on disk, fetching it once if needed.
///
/// The data is never part of the repository: it lives in `data/sst/` (git-ignored) or in a
/// directory the user names.
public enum SSTData {
    /// The official archive; it holds `trees/train.txt`, `trees/dev.txt`, `trees/test.txt`.
    public static let archiveURL = "https://nlp.stanford.edu/sentiment/trainDevTestTrees_PTB.zip"
    /// Files a usable directory must hold.
    public static let requiredFiles = ["train.txt", "dev.txt"]
    /// Files copied or extracted when present, but not needed for training.
    public static let optionalFiles = ["test.txt"]
    /// Seconds without progress before the download gives up.
    public static let requestTimeout: TimeInterval = 60
    /// Seconds the whole download may take.
    public static let downloadTimeout: TimeInterval = 300

    /// A directory holding `train.txt` and `dev.txt` (and maybe `test.txt`).
    ///
    /// In order: `explicitDirectory` (`--data DIR`) if given, which must hold the files;
    /// else `defaultDirectory` if it already does; else the directory in `SST_DIR`, whose
    /// files are copied into `defaultDirectory`; else (also when `SST_DIR` lacks the files,
    /// which is logged) the official archive is downloaded and unpacked into
    /// `defaultDirectory`. Copies and extractions are staged in a temporary directory next
    /// to `defaultDirectory` and renamed into place, so an interrupted run never leaves a
    /// half-written `train.txt` behind.
    public static func resolve(
        explicitDirectory: String?,
        defaultDirectory: String = "data/sst",
        environment: [String: String] = ProcessInfo.processInfo.environment,
        log: (String) -> Void
    ) throws -> String {
        try resolve(
            explicitDirectory: explicitDirectory, defaultDirectory: defaultDirectory,
            environment: environment, log: log,
            download: { try downloadArchive(from: archiveURL, to: $0) })
    }

    /// `resolve` with the download step replaceable, so tests can run without a network.
    static func resolve(
        explicitDirectory: String?,
        defaultDirectory: String,
        environment: [String: String],
        log: (String) -> Void,
        download: (_ destinationZip: String) throws -> Void
    ) throws -> String {
        if let explicit = explicitDirectory {
            try validate(explicit, origin: "--data")
            return explicit
        }
        if missingFile(in: defaultDirectory) == nil { return defaultDirectory }

        if let shared = environment["SST_DIR"], !shared.isEmpty {
            if let missing = missingFile(in: shared) {
                log("note: SST_DIR=\(shared) has no \(missing); downloading the official archive instead")
            } else {
                log("Copying the SST files from SST_DIR=\(shared) to \(defaultDirectory)")
                try install(into: defaultDirectory) { stage in
                    for name in requiredFiles + optionalFiles {
                        let from = (shared as NSString).appendingPathComponent(name)
                        guard FileManager.default.fileExists(atPath: from) else { continue }
                        do {
                            try FileManager.default.copyItem(
                                atPath: from, toPath: (stage as NSString).appendingPathComponent(name))
                        } catch {
                            throw SSTDataError("cannot copy \(from) to \(defaultDirectory): \(reason(error))")
                        }
                    }
                }
                return defaultDirectory
            }
        }

        log("Downloading the SST from \(archiveURL) to \(defaultDirectory) ...")
        try install(into: defaultDirectory) { stage in
            let zip = (stage as NSString).appendingPathComponent("archive.zip")
            do {
                try download(zip)
            } catch {
                throw SSTDataError(
                    """
                    could not download the SST from \(archiveURL): \(reason(error)). \
                    Check the network connection, or set SST_DIR=/dir/with/train.txt,dev.txt \
                    (a directory that holds train.txt and dev.txt), or pass --data DIR.
                    """)
            }
            try extractArchive(zip, into: stage)
            try? FileManager.default.removeItem(atPath: zip)
        }
        log("SST ready in \(defaultDirectory)")
        return defaultDirectory
    }

    /// Extracts `trees/train.txt`, `trees/dev.txt` and (if present) `trees/test.txt` from
    /// the SST archive at `zipPath` into `directory` (created if needed) as `train.txt` etc.,
    /// replacing files of those names. Other entries are ignored, so the archive cannot write
    /// anywhere else.
    public static func extractArchive(_ zipPath: String, into directory: String) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read)
        } catch {
            throw SSTDataError("cannot open \(zipPath) as a ZIP archive: \(reason(error))")
        }
        try createDirectory(directory)
        var extracted: Set<String> = []
        for entry in archive where entry.type == .file {
            let parts = entry.path.split(separator: "/")
            guard parts.count >= 2, parts[parts.count - 2] == "trees" else { continue }
            let name = String(parts[parts.count - 1])
            guard (requiredFiles + optionalFiles).contains(name), !extracted.contains(name) else { continue }
            let destination = (directory as NSString).appendingPathComponent(name)
            do {
                try? FileManager.default.removeItem(atPath: destination)
                _ = try archive.extract(entry, to: URL(fileURLWithPath: destination))
            } catch {
                throw SSTDataError("cannot extract \(entry.path) from \(zipPath): \(reason(error))")
            }
            extracted.insert(name)
        }
        if let missing = requiredFiles.first(where: { !extracted.contains($0) }) {
            throw SSTDataError(
                "\(zipPath) has no trees/\(missing); is it the SST archive trainDevTestTrees_PTB.zip?")
        }
    }

    /// Downloads `url` to the file `destination`, blocking the calling thread.
    static func downloadArchive(from url: String, to destination: String) throws {
        guard let target = URL(string: url) else { throw SSTDataError("invalid URL \(url)") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = downloadTimeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }

        let outcome = DownloadOutcome()
        let finished = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: target) { data, response, error in
            if let error {
                outcome.set(.failure(SSTDataError(reason(error))))
            } else if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                outcome.set(.failure(SSTDataError("the server answered HTTP \(http.statusCode)")))
            } else {
                outcome.set(.success(data ?? Data()))
            }
            finished.signal()
        }
        task.resume()
        // The session enforces its own timeouts; this only guards against a lost callback.
        if finished.wait(timeout: .now() + downloadTimeout + 10) == .timedOut {
            task.cancel()
            throw SSTDataError("timed out after \(Int(downloadTimeout)) seconds")
        }
        let data = try outcome.get()
        do {
            try data.write(to: URL(fileURLWithPath: destination))
        } catch {
            throw SSTDataError("cannot write \(destination): \(reason(error))")
        }
    }

    /// The first required file `directory` lacks, or nil if it has them all.
    static func missingFile(in directory: String) -> String? {
        requiredFiles.first { name in
            var isDirectory: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                || isDirectory.boolValue
        }
    }

    private static func validate(_ directory: String, origin: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw SSTDataError("\(origin) \(directory): no such directory")
        }
        if let missing = missingFile(in: directory) {
            throw SSTDataError(
                "\(origin) \(directory): the directory has no \(missing) (it must hold the SST files train.txt and dev.txt)"
            )
        }
    }

    /// Runs `stage` on a fresh temporary directory next to `directory`, then moves the result
    /// into place with `rename`, which is atomic within one file system.
    ///
    /// If `directory` does not exist the whole staging directory is renamed; otherwise each
    /// file is renamed over its old version, `train.txt` last, so `missingFile(in:)` never
    /// sees a directory whose files come from different sources as complete before the end.
    private static func install(into directory: String, stage: (String) throws -> Void) throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try createDirectory(parent.path)
        let staging = parent.appendingPathComponent(".sst-staging-\(UUID().uuidString)").path
        try createDirectory(staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try stage(staging)

        if rename(staging, target.path) == 0 { return }
        let firstErrno = errno
        guard firstErrno == ENOTEMPTY || firstErrno == EEXIST else {
            throw SSTDataError("cannot move the SST files into \(directory): \(errnoText(firstErrno))")
        }
        let names = (optionalFiles + requiredFiles.reversed()).filter {
            FileManager.default.fileExists(atPath: (staging as NSString).appendingPathComponent($0))
        }
        for name in names {
            let from = (staging as NSString).appendingPathComponent(name)
            let to = target.appendingPathComponent(name).path
            if rename(from, to) != 0 {
                throw SSTDataError("cannot move \(name) into \(directory): \(errnoText())")
            }
        }
    }

    private static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SSTDataError("cannot create the directory \(path): \(reason(error))")
        }
    }

    /// A short human-readable reason for a Foundation or ZIPFoundation error.
    static func reason(_ error: any Error) -> String {
        if let error = error as? SSTDataError { return error.message }
        // Its NSError bridge only says "error 13"; the case name says what was wrong.
        if let error = error as? Archive.ArchiveError { return "ZIP error \(error)" }
        return (error as NSError).localizedDescription
    }
}

/// The result of a download, handed from URLSession's delegate queue to the waiting thread.
private final class DownloadOutcome: Sendable {
    private let result = Locked<Result<Data, SSTDataError>?>(nil)

    func set(_ value: Result<Data, SSTDataError>) { result.withLock { $0 = value } }

    func get() throws -> Data {
        guard let value = result.withLock({ $0 }) else {
            throw SSTDataError("the download ended without a result")
        }
        return try value.get()
    }
}
