import Testing

@testable import A64

@Suite struct SystemRegisterTests {
  @Test func encodingsMatchTheInstructionFields() {
    // mrs x0, mpidr_el1 = 0xD53800A0: bits [19:5] are o0:op1:CRn:CRm:op2.
    #expect(UInt32(SystemRegister.mpidr.encoding) << 5 | 0xD530_0000 == 0xD538_00A0)
    #expect(
      SystemRegister(name: "icc_iar1_el1").map { UInt32($0.encoding) << 5 | 0xD530_0000 } == 0xD538_CC00)
    #expect(
      SystemRegister(name: "ICC_EOIR1_EL1").map { UInt32($0.encoding) << 5 | 0xD510_0000 | 0 } == 0xD518_CC20)
  }

  @Test func namesAndGenericSpelling() {
    let r = SystemRegister(op0: 3, op1: 0, crn: 15, crm: 2, op2: 0)
    #expect(r.name == nil)
    #expect(r.description == "S3_0_C15_C2_0")
    #expect(SystemRegister(name: "s3_0_c15_c2_0") == r)
    #expect(SystemRegister(name: "S4_0_C0_C0_0") == nil)
    #expect(SystemRegister(name: "NOT_A_REG") == nil)
    #expect(SystemRegister.vbar.name == "VBAR_EL1")
  }

  @Test func readOnlyAndWriteOnlyPrintGenerically() {
    // llvm-objdump prints a write to a read-only register (and a read of a write-only one)
    // with the generic name.
    #expect(SystemRegister.midr.printedName(forWrite: true) == "S3_0_C0_C0_0")
    #expect(SystemRegister.midr.printedName(forWrite: false) == "MIDR_EL1")
    let eoir = SystemRegister(name: "ICC_EOIR1_EL1")!
    #expect(eoir.printedName(forWrite: false) == "S3_0_C12_C12_1")
  }

  @Test func gicCPUInterfaceRegistersAreRecognised() {
    #expect(SystemRegister(name: "ICC_PMR_EL1")!.isGICCPUInterface)
    #expect(SystemRegister(name: "ICC_SGI1R_EL1")!.isGICCPUInterface)
    #expect(!SystemRegister.vbar.isGICCPUInterface)
  }
}
