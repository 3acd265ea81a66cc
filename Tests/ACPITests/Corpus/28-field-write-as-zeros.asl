DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    OperationRegion (PRST, SystemMemory, 0x20000, 0x0C)
    Field (PRST, ByteAcc, NoLock, WriteAsZeros) { Offset (4), CPEN, 1, CINS, 1, CRMV, 1, CEJ0, 1 }
    Field (PRST, ByteAcc, NoLock, Preserve) { Offset (4), FLAG, 8 }
    Method (F001) { CPEN = 1  Return (FLAG) }
    Method (F002) { CPEN = 1  CINS = 1  Return (FLAG) }
    Method (F003) { FLAG = 0xFF  CRMV = 1  Return (FLAG) }
    Method (F004) { FLAG = 0  CPEN = 1  Return (CINS) }

}
