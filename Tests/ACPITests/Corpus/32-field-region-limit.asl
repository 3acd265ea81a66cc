// iasl-flags: -f
DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    OperationRegion (RGN0, SystemMemory, 0x60000, 2)
    Field (RGN0, ByteAcc, NoLock, Preserve) { INSD, 16, OUTS, 8 }
    Method (F001) { INSD = 0x1234  Return (INSD) }
    Method (F002) { Return (OUTS) }

}
