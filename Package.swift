// swift-tools-version: 6.1
// HotplugLab: a notebook-style REPL for arm64 virtual CPU hotplug.
import PackageDescription

let package = Package(
  name: "hplab",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "hplab", targets: ["hplab"]),
    .library(name: "CPUMask", targets: ["CPUMask"]),
    .library(name: "LabScript", targets: ["LabScript"]),
    .library(name: "ACPI", targets: ["ACPI"]),
    .library(name: "Notebook", targets: ["Notebook"]),
    .library(name: "A64", targets: ["A64"]),
  ],
  dependencies: [
    // The command-line interface: options, sub-commands, --help and usage errors from one declaration.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .target(name: "CPUMask"),
    // Every host file read and write (lessons, scripts, tables, workloads, programs, exports):
    // one error type, one size limit, atomic replacement.
    .target(name: "HostFiles"),
    .target(name: "LabScript", dependencies: ["CPUMask", "HostFiles"]),
    .target(name: "ACPI"),
    .target(name: "A64", dependencies: ["HostFiles"]),
    // The discrete-event containers the board, the kernel and the Lab share: the event queue by
    // virtual time, append-only logs, and the per-CPU state timeline the Lab records and the
    // notebook draws.
    .target(name: "Simulation"),
    .target(name: "VirtMachine", dependencies: ["CPUMask", "ACPI", "A64", "Simulation"]),
    // The guest kernel sees the board only through its own `KernelPlatform`: no VirtMachine here.
    .target(
      name: "GuestKernel", dependencies: ["CPUMask", "ACPI", "A64", "Simulation"],
      resources: [.copy("Resources/secondary_entry.S")]),
    .target(
      name: "Lab",
      dependencies: [
        "LabScript", "HostFiles", "CPUMask", "ACPI", "A64", "Simulation", "VirtMachine", "GuestKernel",
      ]),
    .target(name: "Notebook", dependencies: ["LabScript", "HostFiles", "CPUMask", "Simulation"]),
    .systemLibrary(
      name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .executableTarget(
      name: "hplab",
      dependencies: [
        "Lab", "LabScript", "HostFiles", "CPUMask", "Notebook", "CLibEdit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Drives the ACPICA cross-checks and the ACPI benchmark (Scripts/test.d/30-acpi-crosscheck).
    .executableTarget(name: "acpi-harness", dependencies: ["ACPI", "VirtMachine"]),
    // Drives the A64 cross-checks (unicorn, qemu-aarch64, llvm-objdump) and the A64 benchmark.
    .executableTarget(name: "a64-harness", dependencies: ["A64"]),
    // Fuzzing: what one input does in each libFuzzer harness, and the harnesses (Scripts/fuzz
    // builds them with -sanitize=fuzzer; an ordinary build makes them replay input files).
    .target(name: "FuzzTargets", dependencies: ["LabScript", "CPUMask", "ACPI", "A64", "VirtMachine"]),
    .executableTarget(name: "fuzz-labscript", dependencies: ["FuzzTargets"]),
    .executableTarget(name: "fuzz-aml", dependencies: ["FuzzTargets"]),
    .executableTarget(name: "fuzz-acpi-tables", dependencies: ["FuzzTargets"]),
    .executableTarget(name: "fuzz-a64", dependencies: ["FuzzTargets"]),
    .executableTarget(name: "fuzz-asm", dependencies: ["FuzzTargets"]),
    .executableTarget(name: "fuzz-smp", dependencies: ["FuzzTargets"]),
    .testTarget(name: "CPUMaskTests", dependencies: ["CPUMask", "A64"]),
    .testTarget(name: "HostFilesTests", dependencies: ["HostFiles"]),
    .testTarget(name: "LabScriptTests", dependencies: ["LabScript", "CPUMask"]),
    // VirtMachine: the board's tables are the realistic input of the decoder and AML fuzz tests.
    .testTarget(name: "ACPITests", dependencies: ["ACPI", "A64", "VirtMachine"], exclude: ["Corpus"]),
    .testTarget(name: "A64Tests", dependencies: ["A64"], exclude: ["Fixtures"]),
    .testTarget(name: "NotebookTests", dependencies: ["Notebook", "LabScript", "HostFiles", "Simulation"]),
    .testTarget(name: "HPLabCLITests", dependencies: ["hplab"]),
    .testTarget(name: "VirtMachineTests", dependencies: ["VirtMachine", "ACPI", "A64", "Simulation"]),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation", "A64"]),
    // Kernel behaviour that needs no Lab and no board: the kernel on a fake platform.
    .testTarget(name: "GuestKernelTests", dependencies: ["GuestKernel", "ACPI", "A64", "CPUMask"]),
    .testTarget(
      name: "LabTests",
      dependencies: ["Lab", "LabScript", "ACPI", "A64", "GuestKernel", "VirtMachine", "CPUMask"]),
    // Issue 9: the fuzz corpus replayed, regression inputs, limits on every loop, bad input
    // everywhere, and atomic file writes.
    .testTarget(
      name: "ReliabilityTests",
      dependencies: [
        "FuzzTargets", "LabScript", "HostFiles", "CPUMask", "ACPI", "A64", "VirtMachine", "GuestKernel", "Lab",
        "Notebook", "hplab",
      ]),
  ]
)
