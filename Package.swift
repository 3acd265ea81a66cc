// swift-tools-version: 6.1
// HotplugLab: a notebook-style REPL for arm64 virtual CPU hotplug.
import PackageDescription

let package = Package(
  name: "hplab",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "ACPI", targets: ["ACPI"])
  ],
  dependencies: [],
  targets: [
    .target(name: "ACPI", path: "Sources/ACPI"),
    .executableTarget(name: "acpi-harness", dependencies: ["ACPI"], path: "Sources/acpi-harness"),
    .testTarget(name: "ACPITests", dependencies: ["ACPI"], path: "Tests/ACPITests", exclude: ["Corpus"]),
  ]
)
