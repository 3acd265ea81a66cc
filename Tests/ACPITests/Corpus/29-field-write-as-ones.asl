DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    OperationRegion (RGN0, SystemMemory, 0x30000, 0x08)
    Field (RGN0, ByteAcc, NoLock, WriteAsOnes) { BIT0, 1, BIT1, 1 }
    Field (RGN0, ByteAcc, NoLock, Preserve) { WHOL, 8 }
    Method (F001) { WHOL = 0  BIT0 = 0  Return (WHOL) }
    Method (F002) { WHOL = 0  BIT1 = 1  Return (WHOL) }

}
