/// The kernel's physical accessors (`readl_relaxed()`/`writel_relaxed()` and the 64-bit ones on
/// an ioremap, arch/arm64/include/asm/io.h) and what happens when nothing answers: the access
/// takes a synchronous external abort, `do_sea()` (arch/arm64/mm/fault.c) reports it through
/// `die()` (arch/arm64/kernel/traps.c), and the task that made it dies.
extension Kernel {
  /// A read by the CPU `c` runs on; a bus error becomes an external abort (and reads 0).
  mutating func read(_ address: UInt64, size: Int, _ c: KContext) -> UInt64 {
    if let value = c.platform.read(address, size: size, cpu: c.cpu) { return value }
    externalAbort(at: address, write: false, c)
    return 0
  }

  /// A write by the CPU `c` runs on; a bus error becomes an external abort.
  mutating func write(_ address: UInt64, size: Int, _ value: UInt64, _ c: KContext) {
    if !c.platform.write(address, size: size, value: value, cpu: c.cpu) {
      externalAbort(at: address, write: true, c)
    }
  }

  /// `do_sea()` → `die("synchronous external abort", regs, esr)`. ESR_EL1 is a data abort taken
  /// without a change of EL (EC 0x25, IL), DFSC 0x10 (synchronous external abort), WnR for a
  /// write. The lab prints the first line of the Oops only; the registers and the call trace
  /// that follow in a real one would be invented here.
  mutating func externalAbort(at address: UInt64, write: Bool, _ c: KContext) {
    guard panicked == nil, killedThread == nil else { return }
    c.platform.trace(
      "kernel", "do_sea", cpu: c.cpu, "\(write ? "write" : "read") at 0x\(lhex(address, 1)): nothing answers")
    oops("synchronous external abort", esr: 0x9600_0010 | (write ? 1 << 6 : 0), c)
  }

  /// `die(str, regs, esr)`: "Internal error: STR: ESR [#1] SMP", then a panic in interrupt
  /// context or in the idle task (`make_task_dead()` of pid 0), otherwise the task dies.
  mutating func oops(_ str: String, esr: UInt64, _ c: KContext) {
    guard panicked == nil, killedThread == nil else { return }
    printk(.emerg, "Internal error: \(str): \(lhex(esr, 16)) [#1] SMP", c)
    let name = threads[c.thread]?.name ?? ""
    if name == "irq" {
      panic("\(str): Fatal exception in interrupt", c)
    } else if name.hasPrefix("swapper/") || threads[c.thread] == nil {
      panic("Attempted to kill the idle task!", c)
    } else {
      // make_task_dead(SIGSEGV): the task exits where it was; what it held stays held.
      killedThread = c.thread
    }
  }
}
