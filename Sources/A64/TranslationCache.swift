// The decode cache: translated blocks in one arena of micro-ops, looked up by guest PC, chained
// by links patched into their terminators, and invalidated per 4 KiB page when the page is
// written (self-modifying code, loaders, another vCPU).

/// A block reference: arena index of its first op in bits [31:0], guest instruction count in
/// bits [63:32]. The arena entry just before the first op is the block's header op.
typealias BlockLink = UInt64

final class TranslationCache {
  static let capacity = 1 << 18
  /// Indices [1, scratchEnd) hold the current uncached partial block (budget tails).
  static let scratchStart = 1
  static let scratchEnd = 1 + 3 * Translator.maxBlockLength + 8
  static let jumpEntries = 1024

  let ops: UnsafeMutablePointer<MicroOp>
  var count = TranslationCache.scratchEnd
  var blocks: [UInt64: BlockLink] = [:]
  var blocksByPage: [UInt64: [UInt64]] = [:]
  /// Direct-mapped cache for indirect branches: pairs (pc, link).
  let jumpCache: UnsafeMutablePointer<UInt64>
  /// Arena index of a terminator whose link should be set to the next block (0: none).
  var patchSlot = 0
  /// The guest PC the patch slot's branch goes to (the link is only made to that block).
  var patchTarget: UInt64 = 0
  var translations = 0
  var flushes = 0

  init() {
    // Only the scratch area is initialized: entries at and above `count` are always written
    // before they are read, so the rest of the arena (8 MiB) is committed only as blocks are
    // translated — a machine with hundreds of mostly idle vCPUs stays small.
    ops = .allocate(capacity: TranslationCache.capacity)
    ops.initialize(repeating: MicroOp(.undefined), count: TranslationCache.scratchEnd)
    jumpCache = .allocate(capacity: 2 * TranslationCache.jumpEntries)
    jumpCache.initialize(repeating: 0, count: 2 * TranslationCache.jumpEntries)
  }

  deinit {
    ops.deallocate()
    jumpCache.deallocate()
  }

  func flush() {
    blocks = [:]
    blocksByPage = [:]
    count = TranslationCache.scratchEnd
    patchSlot = 0
    flushes += 1
    for i in 0..<(2 * TranslationCache.jumpEntries) { jumpCache[i] = 0 }
  }

  /// Forgets the blocks of one page and every chaining link (links are re-made lazily).
  func invalidate(page: UInt64) {
    guard let pcs = blocksByPage.removeValue(forKey: page) else { return }
    for p in pcs { blocks[p] = nil }
    for i in TranslationCache.scratchEnd..<count where ops[i].hasLink {
      ops[i].imm2 = 0
      ops[i].linkLength = MicroOp.unlinked
    }
    for i in 0..<(2 * TranslationCache.jumpEntries) { jumpCache[i] = 0 }
    patchSlot = 0
  }

  /// Remembers `link` for indirect branches to `pc`.
  @inline(__always) func rememberJump(_ pc: UInt64, _ link: BlockLink) {
    let slot = Int((pc >> 2) & UInt64(TranslationCache.jumpEntries - 1)) * 2
    jumpCache[slot] = pc
    jumpCache[slot + 1] = link
  }

  /// The block at `pc`, translating it if needed; at most `maxLength` instructions (a shorter
  /// uncached block is built for the tail of a budget). Nil if `pc` is not in RAM.
  func block(at pc: UInt64, cpu: CPU, maxLength: Int) -> BlockLink? {
    if let link = blocks[pc], Int(link >> 32) <= maxLength {
      patch(link, pc)
      return link
    }
    let full = maxLength >= Translator.maxBlockLength
    guard
      let (ops, length) = translate(at: pc, cpu: cpu, maxLength: min(maxLength, Translator.maxBlockLength))
    else { return nil }
    translations += 1
    if !full {
      // Budget tail: build into the scratch area, never cached or linked.
      place(ops, at: TranslationCache.scratchStart, pc: pc, length: length)
      patchSlot = 0
      return UInt64(TranslationCache.scratchStart + 1) | UInt64(length) << 32
    }
    if count + ops.count + 1 > TranslationCache.capacity { flush() }
    let start = count
    place(ops, at: start, pc: pc, length: length)
    count += ops.count + 1
    let link = UInt64(start + 1) | UInt64(length) << 32
    blocks[pc] = link
    blocksByPage[pc & ~0xFFF, default: []].append(pc)
    patch(link, pc)
    rememberJump(pc, link)
    return link
  }

  /// Writes a block into the arena at `start`: its header op, then its ops.
  private func place(_ blockOps: [MicroOp], at start: Int, pc: UInt64, length: Int) {
    var header = MicroOp(.header)
    header.imm = pc
    header.imm2 = UInt64(length)
    ops[start] = header
    for (i, op) in blockOps.enumerated() {
      var o = op
      o.fromHeader = UInt16(i + 1)
      ops[start + 1 + i] = o
    }
  }

  /// The op a block link refers to.
  @inline(__always) func firstOp(_ link: BlockLink) -> UnsafeMutablePointer<MicroOp> {
    ops + Int(truncatingIfNeeded: link & 0xFFFF_FFFF)
  }

  private func patch(_ link: BlockLink, _ pc: UInt64) {
    if patchSlot != 0 && patchTarget == pc {
      ops[patchSlot].imm2 = UInt64(UInt(bitPattern: firstOp(link)))
      ops[patchSlot].linkLength = Int32(truncatingIfNeeded: link >> 32)
      patchSlot = 0
    }
  }

  /// Decodes and translates instructions from `pc` to the end of the block.
  func translate(at pc: UInt64, cpu: CPU, maxLength: Int) -> ([MicroOp], Int)? {
    guard let region = cpu.bus.ramRegion(pc, 4) else { return nil }
    var t = Translator()
    var address = pc
    var n = 0
    let page = pc & ~0xFFF
    defer { region.markCode(pc, Int(address - pc)) }
    while true {
      let word = UInt32(truncatingIfNeeded: loadLE(region.memory + Int(address - region.base), 4))
      t.pc = address
      t.index = UInt8(n)
      t.translate(Decoder.decode(word))
      n += 1
      address &+= 4
      if t.ended { break }
      if n >= maxLength || address & ~0xFFF != page || !region.contains(address, 4)
        || (!cpu.breakpoints.isEmpty && cpu.breakpoints.contains(address))
      {
        t.index = UInt8(n - 1)
        t.finish(next: address)
        break
      }
    }
    t.markSelfLinks(start: pc)
    return (t.ops, n)
  }
}
