DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{
    Mutex (LOW0, 0)
    Mutex (MID4, 4)
    Method (SER6, 0, Serialized, 6) { Acquire (MID4, 0xFFFF)  Release (MID4)  Return (6) }
    Method (SER2, 0, Serialized, 2) { Acquire (MID4, 0xFFFF)  Release (MID4)  Return (2) }
    Method (M001) { Return (SER6 ()) }
    Method (M002) { Return (SER2 ()) }
    Method (M003) { Acquire (LOW0, 0xFFFF)  Local0 = SER2 ()  Release (LOW0)  Return (Local0) }
    Method (M004) { Acquire (MID4, 0xFFFF)  Acquire (MID4, 0xFFFF)  Release (MID4)  Return (Acquire (LOW0, 0x0000)) }
}
