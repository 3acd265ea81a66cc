/// The patches of "ACPI/arm64: add support for virtual cpu hotplug" (v10, merged for Linux 6.11),
/// each switchable to show the world before it, plus the later fix of arch_unregister_cpu().
/// (linux-vcpu-hotplug.md §10-11.) `modelled` says whether turning it off changes what the
/// lab's kernel does; the others are listed for completeness.
public enum SeriesPatch: Int, CaseIterable, Hashable, Sendable, Comparable {
  case processorOnliningPath = 1
  case noWarnOnProbeDefer = 2
  case dropDuplicatedSTACheck = 3
  case getInfoErrorReturned = 4
  case errorPathLeaks = 5
  case setPerCPUEarlier = 6
  case processorHandleHelper = 7
  case registerDeferredCPUs = 8
  case scanCheckFlags = 9
  case postEject = 10
  case cpuForACPIIDHeader = 11
  case cpuForACPIIDHardened = 12
  case gicMatchGICCNoErrors = 13
  case gicOnlineCapable = 14
  case psciIgnoreDenied = 15
  case archRegisterCPUVariant = 16
  case kconfigHotplugCPU = 17
  case documentation = 18
  case enabledMask = 19
  /// Not part of the series: "arm64: ... arch_unregister_cpu() early returns" (2026), which
  /// always unregisters. Off by default, like the 6.11-6.x kernels.
  case unregisterAlways = 20

  public static func < (a: SeriesPatch, b: SeriesPatch) -> Bool { a.rawValue < b.rawValue }

  public var commit: String {
    switch self {
    case .processorOnliningPath: "c1385c1f0ba3"
    case .noWarnOnProbeDefer: "d830ef3ac569"
    case .dropDuplicatedSTACheck: "157080f03c7a"
    case .getInfoErrorReturned: "fadf231f0a06"
    case .errorPathLeaks: "47ec9b417ed9"
    case .setPerCPUEarlier: "cd9239660b8c"
    case .processorHandleHelper: "36b921637e90"
    case .registerDeferredCPUs: "b398a91decd9"
    case .scanCheckFlags: "1859a671bdb9"
    case .postEject: "3b9d0a78aeda"
    case .cpuForACPIIDHeader: "8d34b6f17b9a"
    case .cpuForACPIIDHardened: "2488444274c7"
    case .gicMatchGICCNoErrors: "fa2dabe57220"
    case .gicOnlineCapable: "d633da5d3ab1"
    case .psciIgnoreDenied: "643e12da4a49"
    case .archRegisterCPUVariant: "eba4675008a6"
    case .kconfigHotplugCPU: "9d0873892f4d"
    case .documentation: "828ce929d1c3"
    case .enabledMask: "4e1a7df45480"
    case .unregisterAlways: "(2026 fix)"
    }
  }

  public var subject: String {
    switch self {
    case .processorOnliningPath:
      "ACPI: processor: Simplify initial onlining to use same path for cold and hotplug CPUs"
    case .noWarnOnProbeDefer: "cpu: Do not warn on arch_register_cpu() returning -EPROBE_DEFER"
    case .dropDuplicatedSTACheck: "ACPI: processor: Drop duplicated check on _STA (enabled + present)"
    case .getInfoErrorReturned:
      "ACPI: processor: Return an error if acpi_processor_get_info() fails in processor_add()"
    case .errorPathLeaks: "ACPI: processor: Fix memory leaks in error paths of processor_add()"
    case .setPerCPUEarlier: "ACPI: processor: Move checks and availability of acpi_processor earlier"
    case .processorHandleHelper: "ACPI: processor: Add acpi_get_processor_handle() helper"
    case .registerDeferredCPUs: "ACPI: processor: Register deferred CPUs from acpi_processor_get_info()"
    case .scanCheckFlags: "ACPI: scan: switch to flags for acpi_scan_check_and_detach()"
    case .postEject: "ACPI: Add post_eject to struct acpi_scan_handler for cpu hotplug"
    case .cpuForACPIIDHeader: "arm64: acpi: Move get_cpu_for_acpi_id() to a header"
    case .cpuForACPIIDHardened: "arm64: acpi: Harden get_cpu_for_acpi_id() against missing CPU entry"
    case .gicMatchGICCNoErrors: "irqchip/gic-v3: Don't return errors from gic_acpi_match_gicc()"
    case .gicOnlineCapable: "irqchip/gic-v3: Add support for ACPI's disabled but 'online capable' CPUs"
    case .psciIgnoreDenied: "arm64: psci: Ignore DENIED CPUs"
    case .archRegisterCPUVariant:
      "arm64: arch_register_cpu() variant to check if an ACPI handle is now available."
    case .kconfigHotplugCPU: "arm64: Kconfig: Enable hotplug CPU on arm64 if ACPI_PROCESSOR is enabled."
    case .documentation: "arm64: document virtual CPU hotplug's expectations"
    case .enabledMask: "cpumask: Add enabled cpumask for present CPUs that can be brought online"
    case .unregisterAlways: "arm64: arch_unregister_cpu(): always unregister the CPU device (later fix)"
    }
  }

  /// Whether the patch is applied when nothing was switched (the series is; later fixes are not).
  public var defaultOn: Bool { self != .unregisterAlways }

  /// What switching the patch away from its default does in the lab's kernel (turning a series
  /// patch off, a later fix on), or nil when it has no modelled effect.
  public var effectWhenSwitched: String? {
    switch self {
    case .noWarnOnProbeDefer: "boot logs \"register_cpu N failed (-517)\" for every deferred CPU"
    case .getInfoErrorReturned: "a failed acpi_processor_get_info() makes acpi_processor_add() report success"
    case .registerDeferredCPUs:
      "CPUs present at boot are never registered: no cpuN directories, enabled stays empty"
    case .postEject:
      "the processor is unregistered (.detach) before _EJ0, so an eject that fails leaves no CPU device"
    case .gicMatchGICCNoErrors:
      "an Enabled GICC without a GICR address (redistributors=per-gicc) fails the whole GIC probe"
    case .gicOnlineCapable:
      "Online Capable GICC entries are ignored: those CPUs are neither possible nor present"
    case .psciIgnoreDenied:
      "a DENIED CPU_ON prints \"psci: failed to boot CPUn (-1)\" and \"CPUn: failed to boot: -1\""
    case .archRegisterCPUVariant:
      "arch_register_cpu() registers every present CPU at boot (all present CPUs are enabled and have cpuN); an eject still unregisters the CPU"
    case .kconfigHotplugCPU:
      "no CONFIG_ACPI_HOTPLUG_CPU: every present CPU is registered at boot, none is hot-added, and an eject runs _EJ0 but leaves the CPU registered, bound and enabled (no post_eject)"
    case .enabledMask: "no cpu_enabled_mask: /sys/devices/system/cpu/enabled does not exist"
    case .unregisterAlways:
      "an eject whose _STA drops Present still unregisters the CPU (only the warning is printed)"
    default: nil
    }
  }
}

extension Kernel {
  /// Whether the kernel was built with CONFIG_ACPI_HOTPLUG_CPU (see `KernelConfig`).
  var acpiHotplugCPU: Bool { config.acpiHotplugCPU }
}
