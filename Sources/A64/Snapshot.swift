// Snapshots of a vCPU's architectural state and of guest RAM, so that a whole machine can be
// saved and restored (the Lab's `snapshot save/restore` and `undo`). RAM snapshots copy only the
// pages the guest or the host ever stored to (tracked with RAMRegion.cleanFlag), so they stay
// small even with a large, mostly untouched RAM.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Everything a vCPU's execution depends on.
public struct CPUState: Sendable, Equatable {
  var regs: [UInt64]
  var otherSP: UInt64
  public var pc: UInt64
  var nzcv: UInt32
  var pstate: ProcessorState
  var mpidr: UInt64
  var midr: UInt64
  var sctlr: UInt64
  var vbar: UInt64
  var vbarWritten: Bool
  var elr: UInt64
  var spsr: UInt64
  var esr: UInt64
  var far: UInt64
  var cntkctl: UInt64
  var storage: [UInt16: UInt64]
  var irqPending: Bool
  var fiqPending: Bool
  var instructionsRetired: UInt64
  var lastException: ExceptionRecord?
  var eventRegister: Bool
  var reservation: UInt64?
}

extension CPU {
  /// The vCPU's state as a value.
  public func saveState() -> CPUState {
    CPUState(
      regs: Array(UnsafeBufferPointer(start: regs, count: Slot.count)), otherSP: otherSP, pc: pc, nzcv: nzcv,
      pstate: pstate, mpidr: mpidr, midr: midr, sctlr: sctlr, vbar: vbar, vbarWritten: vbarWritten, elr: elr,
      spsr: spsr, esr: esr, far: far, cntkctl: cntkctl, storage: storage, irqPending: irqPending,
      fiqPending: fiqPending, instructionsRetired: instructionsRetired, lastException: lastException,
      eventRegister: bus.eventRegisters[index], reservation: bus.reservations[index])
  }

  /// Whether `saveState()` would return `s` now, found without building a new state (the
  /// machine's snapshots reuse the previous one's state of a vCPU that has not changed since).
  public func isInState(_ s: CPUState) -> Bool {
    guard pc == s.pc, instructionsRetired == s.instructionsRetired, s.regs.count == Slot.count else {
      return false
    }
    for i in 0..<Slot.count where regs[i] != s.regs[i] { return false }
    return otherSP == s.otherSP && nzcv == s.nzcv && pstate == s.pstate && mpidr == s.mpidr && midr == s.midr
      && sctlr == s.sctlr && vbar == s.vbar && vbarWritten == s.vbarWritten && elr == s.elr && spsr == s.spsr
      && esr == s.esr && far == s.far && cntkctl == s.cntkctl && irqPending == s.irqPending
      && fiqPending == s.fiqPending && lastException == s.lastException
      && eventRegister(s.eventRegister) && reservation(s.reservation) && storage == s.storage
  }

  /// The part of `isInState` the bus holds for this PE (its event register and exclusive
  /// reservation), which other PEs and host writes change without running this one.
  public func busStateMatches(_ s: CPUState) -> Bool {
    eventRegister(s.eventRegister) && reservation(s.reservation)
  }

  private func eventRegister(_ value: Bool) -> Bool { bus.eventRegisters[index] == value }
  private func reservation(_ value: UInt64?) -> Bool { bus.reservations[index] == value }

  /// Puts a saved state back (translated code is thrown away; RAM is restored separately).
  public func restoreState(_ s: CPUState) {
    for i in 0..<Slot.count { regs[i] = s.regs[i] }
    otherSP = s.otherSP
    pc = s.pc
    nzcv = s.nzcv
    pstate = s.pstate
    mpidr = s.mpidr
    midr = s.midr
    sctlr = s.sctlr
    vbar = s.vbar
    vbarWritten = s.vbarWritten
    elr = s.elr
    spsr = s.spsr
    esr = s.esr
    far = s.far
    cntkctl = s.cntkctl
    storage = s.storage
    irqPending = s.irqPending
    fiqPending = s.fiqPending
    instructionsRetired = s.instructionsRetired
    lastException = s.lastException
    pendingException = nil
    exitAfterAccess = false
    skipBreakpointAt = nil
    bus.eventRegisters[index] = s.eventRegister
    bus.clearReservation(cpu: index)
    if let g = s.reservation { bus.setReservation(cpu: index, address: g) }
    cache.flush()
  }
}

/// The contents of every RAM page ever written, by region base and page number.
public struct RAMSnapshot: Sendable, Equatable {
  var pages: [UInt64: [Int: [UInt8]]]

  /// How many pages the snapshot holds (4 KiB each).
  public var pageCount: Int { pages.values.reduce(0) { $0 + $1.count } }
}

extension SystemBus {
  /// A page whose contents are the same as in the previous snapshot shares that snapshot's
  /// copy: the Lab snapshots before every command (for `undo`), and most written pages (the
  /// stacks and boot blocks of hundreds of parked vCPUs) have not changed since. Pages are
  /// never removed from `writtenPages`, so the previous snapshot's pages are all still saved.
  public func snapshotRAM() -> RAMSnapshot {
    var pages: [UInt64: [Int: [UInt8]]] = [:]
    for r in ram {
      var saved = lastSnapshotPages[r.base] ?? [:]
      for page in r.writtenPages {
        let p = (r.memory + page << 12).assumingMemoryBound(to: UInt8.self)
        if let previous = saved[page],
          previous.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p, 4096) }) == 0
        {
          continue
        }
        saved[page] = Array(UnsafeBufferPointer(start: p, count: 4096))
      }
      pages[r.base] = saved
    }
    lastSnapshotPages = pages
    return RAMSnapshot(pages: pages)
  }

  /// Restores RAM to a snapshot: saved pages get their contents back, pages written since are
  /// zeroed; translated code on those pages is discarded and reservations are cleared.
  public func restoreRAM(_ snapshot: RAMSnapshot) {
    for r in ram {
      let saved = snapshot.pages[r.base] ?? [:]
      for page in r.writtenPages.union(saved.keys) {
        let p = (r.memory + page << 12).assumingMemoryBound(to: UInt8.self)
        if let bytes = saved[page] {
          bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: 4096) }
        } else {
          p.update(repeating: 0, count: 4096)
        }
        if r.pageFlags[page] & RAMRegion.codeFlag != 0 {
          let address = r.base + UInt64(page) << 12
          for c in cpus { c.cpu?.invalidateTranslations(page: address) }
        }
        r.codeLines[page] = 0
        r.pageFlags[page] = 0
      }
      r.writtenPages.formUnion(saved.keys)
    }
    for i in reservations.indices { clearReservation(cpu: i) }
  }
}
