DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Mutex (LOW1, 1)
    Mutex (HIG5, 5)
    Method (M001) { Acquire (HIG5, 0xFFFF)  Acquire (LOW1, 0xFFFF)  Return (1) }
    Method (M002) { Acquire (LOW1, 0xFFFF)  Acquire (HIG5, 0xFFFF)  Release (LOW1)  Return (2) }
    Method (M003) { Acquire (LOW1, 0xFFFF)  Acquire (HIG5, 0xFFFF)  Release (HIG5)  Release (LOW1)  Return (3) }

}
