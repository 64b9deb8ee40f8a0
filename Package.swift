// swift-tools-version: 6.0
import PackageDescription
import Foundation

// Swift's default x86_64 target has no FMA/AVX2, which makes the SIMD kernels ~80x slower.
// Release builds on x86_64 therefore target haswell (AVX2+FMA, Intel 2013+ and AMD Zen). Set
// SENTREE_TARGET_CPU to another LLVM CPU name (or "generic") for older machines.
let targetCPU = ProcessInfo.processInfo.environment["SENTREE_TARGET_CPU"] ?? "haswell"
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = targetCPU == "generic"
    ? [] : [.unsafeFlags(["-target-cpu", targetCPU])]
#else
let cpuFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "sentree",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sentree", targets: ["sentree"]),
        .library(name: "SentreeCore", targets: ["SentreeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .target(
            name: "SentreeCore",
            dependencies: [
                "CIntrinsics",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: cpuFlags
        ),
        // Cache prefetch and a vector square root, which Swift cannot express (header only).
        .target(name: "CIntrinsics"),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // Puts the terminal back when the dashboard crashes (a signal handler, in C).
        .target(name: "CTerminalGuard"),
        .target(
            name: "SentreeDashboard",
            dependencies: ["SentreeCore", "CNcursesw", "CTerminalGuard"],
            swiftSettings: cpuFlags
        ),
        .executableTarget(
            name: "sentree",
            dependencies: [
                "SentreeCore",
                "CIntrinsics",
                "SentreeDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: cpuFlags
        ),
        .testTarget(name: "SentreeCoreTests", dependencies: ["SentreeCore"], swiftSettings: cpuFlags),
        // Snapshots/ holds the expected screens of the snapshot tests, read by path.
        .testTarget(name: "SentreeDashboardTests", dependencies: ["SentreeDashboard"], exclude: ["Snapshots"],
                    swiftSettings: cpuFlags),
        .testTarget(name: "SentreeEndToEndTests", dependencies: ["SentreeCore"]),
    ],
    swiftLanguageModes: [.v6]
)
