// swift-tools-version: 6.1
// HotplugLab: a notebook-style REPL for arm64 virtual CPU hotplug.
import PackageDescription

let package = Package(
  name: "hplab",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "A64", targets: ["A64"])
  ],
  dependencies: [],
  targets: [
    .target(name: "A64"),
    .testTarget(name: "A64Tests", dependencies: ["A64"], exclude: ["Fixtures"]),
    .executableTarget(name: "a64-harness", dependencies: ["A64"]),
  ]
)
