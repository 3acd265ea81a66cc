// swift-tools-version: 6.1
// HotplugLab: a notebook-style REPL for arm64 virtual CPU hotplug.
import PackageDescription

let package = Package(
  name: "hplab",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "CPUMask", targets: ["CPUMask"])
  ],
  dependencies: [],
  targets: [
    .target(name: "CPUMask"),
    .testTarget(name: "CPUMaskTests", dependencies: ["CPUMask"]),
  ]
)
