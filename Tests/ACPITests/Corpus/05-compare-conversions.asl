DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (C001) { Return (LEqual (0x1A, "1a")) }
    Method (C002) { Return (LEqual ("1a", 0x1A)) }
    Method (C003) { Return (LEqual (0x0201, Buffer () {1, 2, 3})) }
    Method (C004) { Return (LEqual (0x030201, Buffer () {1, 2, 3})) }
    Method (C005) { Return (LLess ("ABC", "ABD")) }
    Method (C006) { Return (LGreater ("ABCD", "ABC")) }
    Method (C007) { Return (LEqual (Buffer () {0x41, 0x42}, "AB")) }
    Method (C008) { Return (LEqual (Buffer () {0x41, 0x42, 0}, "AB")) }
    Method (C009) { Return (LEqual ("000000000000001A", 0x1A)) }

}
