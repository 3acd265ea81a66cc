// Branches: translation into block terminators. Direct branches carry chaining links; a
// SUBS/CMP immediately followed by B.cond is fused into one compare-and-branch micro-op.

extension Translator {
  mutating func translateBranch(_ op: Operation, _ w: UInt32) {
    ended = true
    var m = MicroOp(.b)
    switch op {
    case .b, .bl:
      m.kind = op == .b ? .b : .bl
      m.imm = labelTarget(.imm26, w, pc)
      emit(m)
    case .bCond:
      let cond = UInt8(w & 15)
      let target = labelTarget(.imm19, w, pc)
      if cond >= 14 {
        // AL and NV: always taken.
        m.imm = target
        emit(m)
        return
      }
      // Fuse with a preceding SUBS/CMP (immediate or plain register) of this block.
      if let last = ops.last, last.index + 1 == index {
        var fused = last
        switch last.kind {
        case .subsImm: fused.kind = .subsImmBCond
        case .subsImm32: fused.kind = .subsImm32BCond
        case .subs: fused.kind = .subsRegBCond
        case .aluShifted where last.aux == 11 && last.aux2 == 4 && last.ra == 0: fused.kind = .subsReg32BCond
        default: fused.kind = .bCond
        }
        if fused.kind != .bCond {
          ops.removeLast()
          fused.imm2 = 0
          // The fused op keeps the SUBS operands; the two targets go in the link slot pair:
          // first the one taken when the condition holds. B.EQ is stored as B.NE with the
          // slots swapped, so the interpreter tests both with one compare of the result.
          var first = MicroOp(.linkSlot)
          var second = MicroOp(.linkSlot)
          first.imm = cond == 0 ? pc &+ 4 : target
          second.imm = cond == 0 ? target : pc &+ 4
          fused.aux = cond == 0 ? 1 : cond
          if fused.kind == .subsImmBCond && fused.aux == 1 { fused.kind = .subsImmBNE }
          emit(fused)
          emit(first)
          emit(second)
          return
        }
      }
      m.kind = .bCond
      m.aux = cond
      m.imm = target
      emit(m)
      var next = MicroOp(.linkSlot)
      next.imm = pc &+ 4
      emit(next)
    case .cbz, .cbnz:
      let is64 = bit(w, 31)
      let rt = readSlot(bits(w, 4, 0))
      // Fuse "ADD/SUB Xd, Xn, #imm" + "CBZ/CBNZ Xd" (a count-down loop) into one op.
      if is64, let last = ops.last, last.index + 1 == index, last.kind == .addImm, last.rd == rt {
        var fused = last
        ops.removeLast()
        fused.kind = op == .cbz ? .addImmCbz : .addImmCbnz
        emit(fused)
        var taken = MicroOp(.linkSlot)
        taken.imm = labelTarget(.imm19, w, pc)
        emit(taken)
        var notTaken = MicroOp(.linkSlot)
        notTaken.imm = pc &+ 4
        emit(notTaken)
        return
      }
      m.kind = op == .cbz ? (is64 ? .cbz : .cbz32) : (is64 ? .cbnz : .cbnz32)
      m.rn = rt
      m.imm = labelTarget(.imm19, w, pc)
      emit(m)
      var next = MicroOp(.linkSlot)
      next.imm = pc &+ 4
      emit(next)
    case .tbz, .tbnz:
      m.kind = op == .tbz ? .tbz : .tbnz
      m.rn = readSlot(bits(w, 4, 0))
      m.aux = UInt8(bits(w, 31, 31) << 5 | bits(w, 23, 19))
      m.imm = labelTarget(.imm14, w, pc)
      emit(m)
      var next = MicroOp(.linkSlot)
      next.imm = pc &+ 4
      emit(next)
    case .br, .ret:
      m.kind = .br
      m.rn = readSlot(bits(w, 9, 5))
      emit(m)
    case .blr:
      m.kind = .blr
      m.rn = readSlot(bits(w, 9, 5))
      emit(m)
    default:
      m.kind = .undefined
      emit(m)
    }
  }
}
