/// The CPU hotplug state machine's states (include/linux/cpuhotplug.h, kernel/cpu.c
/// `cpuhp_hp_states`), the subset a Linux guest on arm64 runs, in order. States up to
/// CPUHP_BRINGUP_CPU run on the control CPU ("BP"); the others on the CPU coming up or going
/// down ("AP"), the STARTING ones with interrupts off.
public enum CPUHPState: Int, Comparable, CaseIterable, Hashable, Sendable {
  case offline = 0
  case createThreads
  case perfPrepare
  case workqueuePrep
  case hrtimersPrepare
  case smpcfdPrepare
  case rcutreePrep
  case timersPrepare
  /// `CPUHP_BP_PREPARE_DYN` "irqchip/arm/gicv3:checkrdist": gic_check_rdist().
  case gicCheckRdist
  case bringupCPU
  case apIdleDead
  case apOffline
  case apSchedStarting
  case apIRQGICStarting
  case apArchTimerStarting
  case apOnline
  case teardownCPU
  case apOnlineIdle
  case apSmpbootThreads
  /// `CPUHP_AP_ONLINE_DYN` "acpi/cpu-drv:online": acpi_soft_cpu_online().
  case apACPICPUOnline
  case apActive
  case online

  public static func < (a: CPUHPState, b: CPUHPState) -> Bool { a.rawValue < b.rawValue }

  /// The state's constant in include/linux/cpuhotplug.h.
  public var constant: String {
    switch self {
    case .offline: "CPUHP_OFFLINE"
    case .createThreads: "CPUHP_CREATE_THREADS"
    case .perfPrepare: "CPUHP_PERF_PREPARE"
    case .workqueuePrep: "CPUHP_WORKQUEUE_PREP"
    case .hrtimersPrepare: "CPUHP_HRTIMERS_PREPARE"
    case .smpcfdPrepare: "CPUHP_SMPCFD_PREPARE"
    case .rcutreePrep: "CPUHP_RCUTREE_PREP"
    case .timersPrepare: "CPUHP_TIMERS_PREPARE"
    case .gicCheckRdist: "CPUHP_BP_PREPARE_DYN"
    case .bringupCPU: "CPUHP_BRINGUP_CPU"
    case .apIdleDead: "CPUHP_AP_IDLE_DEAD"
    case .apOffline: "CPUHP_AP_OFFLINE"
    case .apSchedStarting: "CPUHP_AP_SCHED_STARTING"
    case .apIRQGICStarting: "CPUHP_AP_IRQ_GIC_STARTING"
    case .apArchTimerStarting: "CPUHP_AP_ARM_ARCH_TIMER_STARTING"
    case .apOnline: "CPUHP_AP_ONLINE"
    case .teardownCPU: "CPUHP_TEARDOWN_CPU"
    case .apOnlineIdle: "CPUHP_AP_ONLINE_IDLE"
    case .apSmpbootThreads: "CPUHP_AP_SMPBOOT_THREADS"
    case .apACPICPUOnline: "CPUHP_AP_ONLINE_DYN"
    case .apActive: "CPUHP_AP_ACTIVE"
    case .online: "CPUHP_ONLINE"
    }
  }

  /// The name the state was registered with (what /sys/devices/system/cpu/hotplug/states lists).
  public var name: String {
    switch self {
    case .offline: "offline"
    case .createThreads: "threads:prepare"
    case .perfPrepare: "perf:prepare"
    case .workqueuePrep: "workqueue:prepare"
    case .hrtimersPrepare: "hrtimers:prepare"
    case .smpcfdPrepare: "smpcfd:prepare"
    case .rcutreePrep: "RCU/tree:prepare"
    case .timersPrepare: "timers:prepare"
    case .gicCheckRdist: "irqchip/arm/gicv3:checkrdist"
    case .bringupCPU: "cpu:bringup"
    case .apIdleDead: "idle:dead"
    case .apOffline: "ap:offline"
    case .apSchedStarting: "sched:starting"
    case .apIRQGICStarting: "irqchip/arm/gicv3:starting"
    case .apArchTimerStarting: "clockevents/arm/arch_timer:starting"
    case .apOnline: "ap:online"
    case .teardownCPU: "cpu:teardown"
    case .apOnlineIdle: "ap:online-idle"
    case .apSmpbootThreads: "smpboot/threads:online"
    case .apACPICPUOnline: "acpi/cpu-drv:online"
    case .apActive: "sched:active"
    case .online: "online"
    }
  }

  /// Runs on the control CPU (the "BP" half) rather than on the CPU itself.
  public var runsOnBP: Bool { self <= .bringupCPU || self == .teardownCPU }
}
