DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (C001) { Return (Concatenate (0x12, 0x34)) }
    Method (C002) { Return (Concatenate (Buffer () {1}, 0x12)) }
    Method (C003) { Return (Concatenate ("A", Buffer () {1, 2})) }
    Method (C004) { Return (Concatenate (Buffer () {1, 2}, "AB")) }
    Method (C005) { Return (Concatenate ("x", Package () {1})) }
    Method (C006) { Return (Concatenate (Buffer () {1}, Buffer () {2, 3})) }

}
