DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    OperationRegion (RGN0, SystemMemory, 0x40000, 0x10)
    Field (RGN0, DWordAcc, NoLock, Preserve) { CSEL, 32, Offset (8), CDAT, 32 }
    Field (RGN0, WordAcc, NoLock, WriteAsZeros) { Offset (4), LOWB, 4, HIGB, 4 }
    Field (RGN0, ByteAcc, NoLock, Preserve) { Offset (4), B004, 8, B005, 8, B006, 8 }
    Method (F001) { CSEL = 0x11223344  Return (CSEL) }
    Method (F002) { B005 = 0x55  HIGB = 0xF  Return (Package () {B004, B005}) }
    Method (F003) { CDAT = 0xAABBCCDD  Return (CDAT) }

}
