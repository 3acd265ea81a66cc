DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (INT0, 1)
    Name (STR0, "s")
    Name (BUF0, Buffer () {1})
    Name (PKG0, Package () {1})
    Mutex (MTX0, 0)
    Event (EVT0)
    Device (DEV0) {}
    OperationRegion (RGN0, SystemMemory, 0x1000, 0x10)
    Field (RGN0, ByteAcc, NoLock, Preserve) { FLD0, 8 }
    Method (MTH0) { Return (0) }
    Method (T001) { Return (ObjectType (INT0)) }
    Method (T002) { Return (ObjectType (STR0)) }
    Method (T003) { Return (ObjectType (BUF0)) }
    Method (T004) { Return (ObjectType (PKG0)) }
    Method (T005) { Return (ObjectType (MTX0)) }
    Method (T006) { Return (ObjectType (EVT0)) }
    Method (T007) { Return (ObjectType (DEV0)) }
    Method (T008) { Return (ObjectType (RGN0)) }
    Method (T009) { Return (ObjectType (FLD0)) }
    Method (T010) { Return (ObjectType (MTH0)) }
    Method (T011) { Return (ObjectType (Local0)) }

}
