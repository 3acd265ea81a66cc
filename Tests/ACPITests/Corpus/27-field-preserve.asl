DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    OperationRegion (RGN0, SystemMemory, 0x10000, 0x10)
    Field (RGN0, ByteAcc, NoLock, Preserve) { Offset (4), BIT0, 1, BIT1, 1, , 2, NIBL, 4, BYT1, 8 }
    Field (RGN0, ByteAcc, NoLock, Preserve) { Offset (4), WHOL, 16 }
    Method (F001) { BIT0 = 1  BIT1 = 1  Return (WHOL) }
    Method (F002) { NIBL = 0xA  Return (WHOL) }
    Method (F003) { BYT1 = 0x1FF  Return (WHOL) }
    Method (F004) { Return (NIBL) }

}
