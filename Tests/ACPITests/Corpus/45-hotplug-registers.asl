DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Scope (\_SB) {
        Device (PRES) {
            Mutex (CPLK, 0)
            OperationRegion (PRST, SystemMemory, 0x090C0000, 0x0C)
            Field (PRST, ByteAcc, NoLock, WriteAsZeros) { Offset (4), CPEN, 1, CINS, 1, CRMV, 1, CEJ0, 1, CEJF, 1, CPRS, 1, , 2, CCMD, 8 }
            Field (PRST, DWordAcc, NoLock, Preserve) { CSEL, 32, Offset (8), CDAT, 32 }
            Field (PRST, ByteAcc, NoLock, Preserve) { Offset (4), FLGS, 8 }
        }
        Device (CPUS) {
            Method (CSTA, 1, Serialized) {
                Acquire (\_SB.PRES.CPLK, 0xFFFF)
                \_SB.PRES.CSEL = Arg0
                Local0 = Zero
                If (\_SB.PRES.CPRS == One) { If (\_SB.PRES.CPEN == One) { Local0 = 0x0F } Else { Local0 = 0x0D } }
                Release (\_SB.PRES.CPLK)
                Return (Local0)
            }
            Device (C001) { Name (_HID, "ACPI0007") Name (_UID, 1)
                Method (_STA, 0, Serialized) { Return (CSTA (1)) } }
        }
        Method (SEED, 1) { \_SB.PRES.FLGS = Arg0 }
        Method (H001) { SEED (0x21)  Return (\_SB.CPUS.C001._STA ()) }
        Method (H002) { SEED (0x20)  Return (\_SB.CPUS.C001._STA ()) }
        Method (H003) { SEED (0x00)  Return (\_SB.CPUS.C001._STA ()) }
        Method (H004) { SEED (0x23)  \_SB.PRES.CINS = 1  Return (\_SB.PRES.FLGS) }
    }

}
