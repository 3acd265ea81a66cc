DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{
    Name (ORIG, 0x10)
    Alias (ORIG, ALI0)
    Method (A001) { ALI0 = 0x20  Return (ORIG) }
    Method (A002) { Return (ObjectType (ALI0)) }
    OperationRegion (RGN0, SystemMemory, 0x70000, 0x10)
    Field (RGN0, AnyAcc, NoLock, Preserve) { AN00, 4, AN01, 12, AN02, 16, AN03, 32 }
    Field (RGN0, AnyAcc, NoLock, Preserve) { AccessAs (WordAcc, 0x00), WD00, 16, AccessAs (ByteAcc, 0x00), BY02, 8 }
    Method (F001) { AN01 = 0xABC  AN00 = 5  Return (WD00) }
    Method (F002) { AN03 = 0x12345678  Return (AN02) }
    Method (F003) { BY02 = 0x77  Return (AN02) }
}
