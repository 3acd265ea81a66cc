// Bit-level helpers shared by the decoder, the assembler and the interpreter.

/// Bits `[hi:lo]` of `word`, as in the Arm ARM's `word<hi:lo>`.
@inline(__always)
func bits(_ word: UInt32, _ hi: Int, _ lo: Int) -> UInt32 {
  (word >> UInt32(lo)) & ((1 << UInt32(hi - lo + 1)) - 1)
}

/// Bit `n` of `word`.
@inline(__always)
func bit(_ word: UInt32, _ n: Int) -> Bool { (word >> UInt32(n)) & 1 == 1 }

/// `SignExtend(value<width-1:0>, 64)`.
@inline(__always)
func signExtend(_ value: UInt64, _ width: Int) -> Int64 {
  let shift = UInt64(64 - width)
  return Int64(bitPattern: value << shift) >> Int64(shift)
}

/// `ROR(value, amount)` within `width` bits (width 1...64).
@inline(__always)
func rotateRight(_ value: UInt64, _ amount: Int, width: Int) -> UInt64 {
  let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
  let v = value & mask
  let r = amount % width
  if r == 0 { return v }
  return ((v >> UInt64(r)) | (v << UInt64(width - r))) & mask
}

/// `Ones(n)` as a 64-bit value.
@inline(__always)
func ones(_ n: Int) -> UInt64 { n >= 64 ? ~0 : (1 << UInt64(n)) &- 1 }

/// The wmask/tmask pair of the Arm ARM's `DecodeBitMasks(N, imms, immr, immediate)`.
struct BitMasks: Equatable {
  var wmask: UInt64
  var tmask: UInt64
}

/// `DecodeBitMasks`: nil for a reserved encoding. `width` is the register size (32 or 64).
func decodeBitMasks(n: UInt32, imms: UInt32, immr: UInt32, immediate: Bool, width: Int) -> BitMasks? {
  let combined = (n << 6) | (~imms & 0x3F)
  guard combined != 0 else { return nil }
  let len = 31 - combined.leadingZeroBitCount
  guard len >= 1, (1 << len) <= width else { return nil }
  let levels = UInt32(ones(len))
  if immediate && (imms & levels) == levels { return nil }
  let s = Int(imms & levels)
  let r = Int(immr & levels)
  let diff = (s - r) & Int(levels)
  let esize = 1 << len
  let welem = ones(s + 1)
  let telem = ones(diff + 1)
  var wmask = rotateRight(welem, r, width: esize)
  var tmask = telem
  var size = esize
  while size < width {
    wmask |= wmask << UInt64(size)
    tmask |= tmask << UInt64(size)
    size *= 2
  }
  let m = ones(width)
  return BitMasks(wmask: wmask & m, tmask: tmask & m)
}

/// The logical-immediate value of an `N:immr:imms` field, or nil when reserved.
func logicalImmediate(n: UInt32, immr: UInt32, imms: UInt32, width: Int) -> UInt64? {
  if width == 32 && n == 1 { return nil }
  return decodeBitMasks(n: n, imms: imms, immr: immr, immediate: true, width: width)?.wmask
}

/// Encodes `value` as a logical immediate `(N, immr, imms)`, or nil if it is not one.
func encodeLogicalImmediate(_ value: UInt64, width: Int) -> (n: UInt32, immr: UInt32, imms: UInt32)? {
  let m = ones(width)
  let v = value & m
  if v == 0 || v == m { return nil }
  // Find the smallest element size that replicates to the value.
  var esize = width
  while esize > 2 {
    let half = esize / 2
    let lowMask = ones(half)
    if (v & lowMask) == ((v >> UInt64(half)) & lowMask) { esize = half } else { break }
  }
  let elem = v & ones(esize)
  // The element is a rotated run of ones: find rotation r and run length.
  let count = elem.nonzeroBitCount
  for r in 0..<esize {
    // rotate left by r to get a run of ones starting at bit 0
    let rotated = rotateRight(elem, (esize - r) % esize, width: esize)
    if rotated == ones(count) {
      let immr = UInt32(r)
      let sField = UInt32(count - 1)
      let n: UInt32 = esize == 64 ? 1 : 0
      let prefix: UInt32 = esize == 64 ? 0 : (~UInt32(esize * 2 - 1) & 0x3F)
      let imms = (prefix | sField) & 0x3F
      if logicalImmediate(n: n, immr: immr, imms: imms, width: width) == v {
        return (n, immr, imms)
      }
    }
  }
  return nil
}

/// Condition codes of B.cond, CSEL and CCMP (Arm ARM `ConditionHolds`).
@inline(__always)
func conditionHolds(_ cond: UInt32, nzcv: UInt32) -> Bool {
  let n = nzcv & 8 != 0
  let z = nzcv & 4 != 0
  let c = nzcv & 2 != 0
  let v = nzcv & 1 != 0
  var result: Bool
  switch cond >> 1 {
  case 0: result = z
  case 1: result = c
  case 2: result = n
  case 3: result = v
  case 4: result = c && !z
  case 5: result = n == v
  case 6: result = n == v && !z
  default: result = true
  }
  if cond & 1 == 1 && cond != 0xF { result = !result }
  return result
}

/// `AddWithCarry(x, y, carry)` for 32 or 64 bits, returning the result and NZCV in bits [3:0].
@inline(__always)
func addWithCarry(_ x: UInt64, _ y: UInt64, carry: UInt64, is64: Bool) -> (UInt64, UInt32) {
  if is64 {
    let (s1, o1) = x.addingReportingOverflow(y)
    let (s2, o2) = s1.addingReportingOverflow(carry)
    let c: UInt32 = (o1 || o2) ? 1 : 0
    let v: UInt32 = ((~(x ^ y) & (x ^ s2)) >> 63) != 0 ? 1 : 0
    let n = UInt32(s2 >> 63)
    let z: UInt32 = s2 == 0 ? 1 : 0
    return (s2, n << 3 | z << 2 | c << 1 | v)
  }
  let a = x & 0xFFFF_FFFF
  let b = y & 0xFFFF_FFFF
  let full = a &+ b &+ carry
  let r = full & 0xFFFF_FFFF
  let c = UInt32(full >> 32) & 1
  let v: UInt32 = ((~(a ^ b) & (a ^ r)) >> 31) & 1 != 0 ? 1 : 0
  let n = UInt32(r >> 31) & 1
  let z: UInt32 = r == 0 ? 1 : 0
  return (r, n << 3 | z << 2 | c << 1 | v)
}
