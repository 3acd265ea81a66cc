DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Mutex (HIG9, 9)
    Method (SER3, 0, Serialized, 3) { Return (0x33) }
    Method (SERA, 0, Serialized, 10) { Return (0xAA) }
    Method (M001) { Return (SER3 ()) }
    Method (M002) { Acquire (HIG9, 0xFFFF)  Local0 = SER3 ()  Release (HIG9)  Return (Local0) }
    Method (M003) { Acquire (HIG9, 0xFFFF)  Local0 = SERA ()  Release (HIG9)  Return (Local0) }
    Method (REC1, 1, Serialized) { If (Arg0 > 0) { Return (REC1 (Arg0 - 1) + 1) } Return (0) }
    Method (M004) { Return (REC1 (5)) }

}
