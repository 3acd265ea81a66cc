import Testing

@testable import ACPI

@Suite struct IntegerWidthTests {
  static let terms: [AMLTerm] = [
    .method("ONES", [.returning(.ones)]),
    .method("TRUE", [.returning(.lEqual(.one, .one))]),
    .method(
      "WRAP", [.store(.integer(0xFFFF_FFFF), .local(0)), .increment(.local(0)), .returning(.local(0))]),
  ]

  @Test func revisionOneDSDTHas32BitIntegers() throws {
    var interpreter = try loaded(Self.terms, revision: 1)
    #expect(interpreter.integerWidth == 32)
    #expect(try interpreter.eval("\\ONES") == .integer(0xFFFF_FFFF))
    #expect(try interpreter.eval("\\TRUE") == .integer(0xFFFF_FFFF))
    #expect(try interpreter.eval("\\WRAP") == .integer(0))
  }

  @Test func revisionTwoDSDTHas64BitIntegers() throws {
    var interpreter = try loaded(Self.terms, revision: 2)
    #expect(try interpreter.eval("\\ONES") == .integer(.max))
    #expect(try interpreter.eval("\\TRUE") == .integer(.max))
    #expect(try interpreter.eval("\\WRAP") == .integer(0x1_0000_0000))
  }

  @Test func anSSDTDoesNotChangeTheWidth() throws {
    var interpreter = try loaded([], revision: 1)
    try interpreter.load(DefinitionBlock(signature: "SSDT", revision: 2, terms: Self.terms).encodedBytes)
    #expect(try interpreter.eval("\\ONES") == .integer(0xFFFF_FFFF))
  }
}

@Suite struct FieldTests {
  static let region: [AMLTerm] = [
    .opRegion("PRST", space: 0, offset: 0x090C_0000, length: 12),
    .field(
      region: "PRST", flags: AMLFieldFlags(accessType: .byte, updateRule: .writeAsZeros),
      elements: [
        .reserved(bits: 32), .named(AMLNameSeg("CPEN")!, bits: 1), .named(AMLNameSeg("CINS")!, bits: 1),
      ]),
    .field(
      region: "PRST", flags: AMLFieldFlags(accessType: .byte, updateRule: .preserve),
      elements: [
        .reserved(bits: 32), .named(AMLNameSeg("PBT0")!, bits: 1), .named(AMLNameSeg("PBT1")!, bits: 1),
      ]),
    .field(
      region: "PRST", flags: AMLFieldFlags(accessType: .dword, updateRule: .preserve),
      elements: [.named(AMLNameSeg("CSEL")!, bits: 32)]),
  ]

  @Test func writeAsZerosClearsTheNeighbourBits() throws {
    // The CINS-after-CPEN case: the second write puts zeros into CPEN's bit.
    var interpreter = try loaded(
      Self.region + [.method("TEST", [.store(.one, .ref("CPEN")), .store(.one, .ref("CINS"))])])
    var host = AMLSimulatedHost(recordAccesses: true)
    _ = try interpreter.evaluate("\\TEST", host: &host)
    #expect(
      host.accesses == [
        AMLRegionAccess(isWrite: true, space: 0, address: 0x090C_0004, bitWidth: 8, value: 0x01),
        AMLRegionAccess(isWrite: true, space: 0, address: 0x090C_0004, bitWidth: 8, value: 0x02),
      ])
    #expect(host.memory[0]?[0x090C_0004] == 0x02)
  }

  @Test func preserveReadsBeforeWriting() throws {
    var interpreter = try loaded(
      Self.region + [.method("TEST", [.store(.one, .ref("PBT0")), .store(.one, .ref("PBT1"))])])
    var host = AMLSimulatedHost(recordAccesses: true)
    _ = try interpreter.evaluate("\\TEST", host: &host)
    #expect(host.accesses.map(\.isWrite) == [false, true, false, true])
    #expect(host.memory[0]?[0x090C_0004] == 0x03)
  }

  @Test func dwordAccessIsOneThirtyTwoBitAccess() throws {
    var interpreter = try loaded(
      Self.region + [
        .method("TEST", [.store(.integer(0x1122_3344), .ref("CSEL")), .returning(.ref("CSEL"))])
      ])
    var host = AMLSimulatedHost(recordAccesses: true)
    #expect(try interpreter.evaluate("\\TEST", host: &host) == .integer(0x1122_3344))
    #expect(host.accesses.allSatisfy { $0.bitWidth == 32 && $0.address == 0x090C_0000 })
  }

  @Test func accessBeyondTheRegionIsRegionLimit() throws {
    var interpreter = try loaded([
      .opRegion("RGN0", space: 0, offset: 0x1000, length: 1),
      .field(
        region: "RGN0", flags: AMLFieldFlags(accessType: .word, updateRule: .preserve),
        elements: [.named(AMLNameSeg("FLD0")!, bits: 8)]),
      .method("TEST", [.returning(.ref("FLD0"))]),
    ])
    #expect(interpreter.status("\\TEST") == .AE_AML_REGION_LIMIT)
  }

  @Test func aSpaceWithoutHandlerIsNotExist() throws {
    var interpreter = try loaded([
      .opRegion("ECRG", space: 0x03, offset: 0, length: 0x10),
      .field(
        region: "ECRG", flags: AMLFieldFlags(accessType: .byte, updateRule: .preserve),
        elements: [.named(AMLNameSeg("ECF0")!, bits: 8)]),
      .method("TEST", [.returning(.ref("ECF0"))]),
    ])
    #expect(interpreter.status("\\TEST") == .AE_NOT_EXIST)
  }

  @Test func wideFieldsReadAsBuffers() throws {
    var interpreter = try loaded([
      .opRegion("RGN0", space: 0, offset: 0x1000, length: 0x20),
      .field(
        region: "RGN0", flags: AMLFieldFlags(accessType: .byte, updateRule: .preserve),
        elements: [.named(AMLNameSeg("WIDE")!, bits: 72)]),
      .method("TEST", [.store(.bufferLiteral(Array(1...9)), .ref("WIDE")), .returning(.ref("WIDE"))]),
    ])
    #expect(try interpreter.eval("\\TEST") == .buffer(Array(1...9)))
  }
}

@Suite struct MutexTests {
  static let terms: [AMLTerm] = [
    .mutex("LOW1", syncLevel: 1),
    .mutex("HIG5", syncLevel: 5),
    .method("ORDR", [.acquire(.ref("HIG5")), .acquire(.ref("LOW1")), .returning(.one)]),
    .method(
      "RELO", [.acquire(.ref("LOW1")), .acquire(.ref("HIG5")), .release(.ref("LOW1")), .returning(.one)]),
    .method("NACQ", [.release(.ref("LOW1"))]),
    .method(
      "NEST",
      [.acquire(.ref("LOW1")), .acquire(.ref("LOW1")), .release(.ref("LOW1")), .release(.ref("LOW1"))]),
    .method("KEEP", [.returning(.acquire(.ref("LOW1")))]),
    .method("SER3", serialized: true, syncLevel: 3, [.returning(.integer(3))]),
    .method("SERX", [.acquire(.ref("HIG5")), .returning(.call("SER3", []))]),
  ]

  @Test(arguments: [
    ("\\ORDR", ACPIStatus.AE_AML_MUTEX_ORDER), ("\\RELO", .AE_AML_MUTEX_ORDER),
    ("\\NACQ", .AE_AML_MUTEX_NOT_ACQUIRED),
    ("\\SERX", .AE_AML_MUTEX_ORDER),
  ])
  func orderingErrors(_ path: String, _ status: ACPIStatus) throws {
    var interpreter = try loaded(Self.terms)
    #expect(interpreter.status(path) == status)
  }

  @Test func recursiveAcquireNests() throws {
    var interpreter = try loaded(Self.terms)
    #expect(interpreter.status("\\NEST") == nil)
  }

  @Test func mutexesHeldAtTheEndOfAnEvaluationAreReleased() throws {
    var interpreter = try loaded(Self.terms)
    #expect(try interpreter.eval("\\KEEP") == .integer(0))
    #expect(try interpreter.eval("\\KEEP") == .integer(0))
    guard case .mutex(let mutex) = interpreter.namespace[interpreter.namespace.lookup(path: "\\LOW1")!].object
    else {
      Issue.record("LOW1 is not a mutex")
      return
    }
    #expect(mutex.depth == 0)
  }
}

@Suite struct LimitTests {
  @Test func whileLoopsEndWithLoopTimeoutInVirtualTime() throws {
    var interpreter = try loaded([
      .method("LOOP", [.store(.zero, .local(0)), .whileLoop(.one, [.increment(.local(0))])])
    ])
    interpreter.limits.maxLoopIterations = 1000
    do {
      _ = try interpreter.eval("\\LOOP")
      Issue.record("an infinite loop returned")
    } catch {
      #expect((error as? AMLError)?.status == .AE_AML_LOOP_TIMEOUT)
      #expect((error as? AMLError)?.method == "\\LOOP")
    }
  }

  @Test func nestedLoopIterationsCountTowardTheOuterLoop() throws {
    var interpreter = try loaded([
      .method(
        "NEST",
        [
          .store(.zero, .local(0)),
          .whileLoop(
            .lLess(.local(0), .integer(10)),
            [
              .store(.zero, .local(1)), .whileLoop(.lLess(.local(1), .integer(60)), [.increment(.local(1))]),
              .increment(.local(0)),
            ]),
        ])
    ])
    interpreter.limits.maxLoopIterations = 100
    #expect(interpreter.status("\\NEST") == .AE_AML_LOOP_TIMEOUT)
    interpreter.limits.maxLoopIterations = 1000
    #expect(interpreter.status("\\NEST") == nil)
  }

  @Test func aMethodMayBeActive255Times() throws {
    var interpreter = try loaded([
      .name("CNT0", .zero),
      .method("DEEP", [.increment(.ref("CNT0")), .call("DEEP", [])]),
    ])
    #expect(interpreter.status("\\DEEP") == .AE_AML_METHOD_LIMIT)
    #expect(try interpreter.eval("\\CNT0") == .integer(255))
  }

  @Test func theStepBudgetStopsNonLoopBlowups() throws {
    var interpreter = try loaded([
      .method(
        "TREE", args: 1,
        [
          .ifThen(
            .arg(0), [.call("TREE", [.subtract(.arg(0), .one)]), .call("TREE", [.subtract(.arg(0), .one)])])
        ])
    ])
    interpreter.limits.maxSteps = 10_000
    #expect(interpreter.status("\\TREE", [.integer(200)]) == .AE_LIMIT)
  }

  @Test func breakOutsideAWhileIsNoWhile() throws {
    var interpreter = AMLInterpreter()
    let method: [UInt8] = [0x14, 0x07] + Array("BRK0".utf8) + [0x00, 0xA5]
    try interpreter.load(table(method))
    #expect(interpreter.status("\\BRK0") == .AE_AML_NO_WHILE)
  }
}

@Suite struct EvaluationTests {
  @Test func notifyGoesToTheHost() throws {
    var interpreter = try loaded([
      .scope("\\_SB", [.device("C001", []), .method("NTFY", [.notify(.ref("C001"), .integer(3))])]),
      .name("INT0", .one),
      .method("BAD0", [.notify(.ref("INT0"), .one)]),
    ])
    var host = AMLSimulatedHost()
    _ = try interpreter.evaluate("\\_SB.NTFY", host: &host)
    #expect(host.notifications.count == 1)
    #expect(host.notifications.first?.path == "\\_SB.C001")
    #expect(host.notifications.first?.value == 3)
    #expect(
      host.notifications.first?.description == "System Notify on [\\_SB.C001] value 0x03 (Eject Request)")
    #expect(interpreter.status("\\BAD0") == .AE_AML_OPERAND_TYPE)
  }

  @Test func argumentsAndArity() throws {
    var interpreter = try loaded([.method("ADD2", args: 2, [.returning(.add(.arg(0), .arg(1)))])])
    #expect(try interpreter.eval("\\ADD2", [.integer(2), .integer(3)]) == .integer(5))
    #expect(try interpreter.eval("\\ADD2", [.integer(2), .integer(3), .integer(9)]) == .integer(5))
    #expect(interpreter.status("\\ADD2", [.integer(2)]) == .AE_AML_UNINITIALIZED_ARG)
    do {
      _ = try interpreter.eval("\\ADD2", [.integer(2)])
    } catch {
      #expect(
        (error as? AMLError)?.description
          == "AE_AML_UNINITIALIZED_ARG: Arg1 was not passed (in method \\ADD2) at: Return ((Arg0 + Arg1))")
    }
    #expect(interpreter.argumentCount(of: "\\ADD2") == 2)
  }

  @Test func storeThroughAReferenceArgument() throws {
    var interpreter = try loaded([
      .name("INT0", .integer(5)),
      .method("SET9", args: 1, [.store(.integer(9), .arg(0))]),
      .method("TEST", [.call("SET9", [.refOf(.ref("INT0"))]), .returning(.ref("INT0"))]),
    ])
    #expect(try interpreter.eval("\\TEST") == .integer(9))
  }

  @Test func methodLocalNamesAreDeletedOnReturn() throws {
    var interpreter = try loaded([.method("TEMP", [.name("TMP0", .integer(7)), .returning(.ref("TMP0"))])])
    let count = interpreter.namespace.nodes.filter(\.live).count
    #expect(try interpreter.eval("\\TEMP") == .integer(7))
    #expect(try interpreter.eval("\\TEMP") == .integer(7))
    #expect(interpreter.namespace.nodes.filter(\.live).count == count)
  }

  @Test func snapshotsAreValues() throws {
    var interpreter = try loaded([.name("CNT0", .zero), .method("BUMP", [.increment(.ref("CNT0"))])])
    let snapshot = interpreter
    _ = try interpreter.eval("\\BUMP")
    _ = try interpreter.eval("\\BUMP")
    #expect(try interpreter.eval("\\CNT0") == .integer(2))
    interpreter = snapshot
    #expect(try interpreter.eval("\\CNT0") == .integer(0))
  }

  @Test func evaluatingAMissingPathIsNotFound() throws {
    var interpreter = try loaded([])
    #expect(interpreter.status("\\_SB.NONE._STA") == .AE_NOT_FOUND)
  }

  @Test func osiAnswersForKnownInterfaces() throws {
    var interpreter = try loaded([])
    #expect(try interpreter.eval("\\_OSI", [.string("Windows 2019")]) == .integer(.max))
    #expect(try interpreter.eval("\\_OSI", [.string("Processor Device")]) == .integer(0))
    #expect(try interpreter.eval("\\_OSI", [.string("Some Other OS")]) == .integer(0))
  }
}

@Suite struct VirtualTimeTests {
  @Test func timerAdvancesWithExecutedAMLAndSleepOnly() throws {
    var interpreter = try loaded([
      .method("TIME", [.returning(.timer)]),
      .method("NAP1", [.op(.sleep, [.integer(1)])]),
    ])
    guard case .integer(let first)? = try interpreter.eval("\\TIME") else {
      Issue.record("Timer is not an Integer")
      return
    }
    _ = try interpreter.eval("\\NAP1")
    guard case .integer(let second)? = try interpreter.eval("\\TIME") else { return }
    // Sleep(1) is 1 ms = 10,000 ticks of 100 ns, plus one tick per executed term.
    #expect(second - first == 10_000 + 2)
    var again = try loaded([
      .method("TIME", [.returning(.timer)]), .method("NAP1", [.op(.sleep, [.integer(1)])]),
    ])
    #expect(try again.eval("\\TIME") == .integer(first))
  }
}

@Suite struct DeviceStatusTests {
  @Test func staAsACPICAReadsIt() throws {
    var interpreter = try loaded([
      .scope(
        "\\_SB",
        [
          .device("NOST", []),
          .device("CPU1", [.method("_STA", [.returning(.integer(0x0D))])]),
          .device("BADS", [.method("_STA", [.returning(.string("no"))])]),
        ])
    ])
    var host = AMLSimulatedHost()
    #expect(try interpreter.deviceStatus("\\_SB.NOST", host: &host) == 0xFFFF_FFFF)
    #expect(try interpreter.deviceStatus("\\_SB.CPU1", host: &host) == 0x0D)
    #expect(throws: AMLError.self) { try interpreter.deviceStatus("\\_SB.BADS", host: &host) }
    #expect(throws: AMLError.self) { try interpreter.deviceStatus("\\_SB.NONE", host: &host) }
  }
}
