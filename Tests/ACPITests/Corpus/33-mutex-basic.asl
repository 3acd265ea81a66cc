DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Mutex (MTX0, 0)
    Method (M001) { Local0 = Acquire (MTX0, 0xFFFF)  Release (MTX0)  Return (Local0) }
    Method (M002) { Acquire (MTX0, 0xFFFF)  Acquire (MTX0, 0xFFFF)  Release (MTX0)  Release (MTX0)  Return (1) }
    Method (M003) { Release (MTX0)  Return (1) }
    Method (M004) { Acquire (MTX0, 0xFFFF)  Return (2) }
    Method (M005) { Acquire (MTX0, 0xFFFF)  Return (3) }

}
