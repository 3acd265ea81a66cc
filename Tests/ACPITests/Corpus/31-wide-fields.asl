DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    OperationRegion (RGN0, SystemMemory, 0x50000, 0x20)
    Field (RGN0, ByteAcc, NoLock, Preserve) { WIDE, 96, NARR, 64 }
    Method (F001) { WIDE = Buffer () {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}  Return (WIDE) }
    Method (F002) { NARR = 0x1122334455667788  Return (NARR) }
    Method (F003) { Return (ObjectType (WIDE)) }

}
