DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (X001) { Return (ToHexString (Buffer () {1, 2, 0xAB})) }
    Method (X002) { Return (ToHexString ("abc")) }
    Method (X003) { Return (ToDecimalString (Buffer () {1, 2, 0xAB})) }
    Method (X004) { Return (ToInteger (Buffer () {1, 2, 3, 4, 5, 6, 7, 8, 9})) }
    Method (X005) { Return (ToBuffer (Buffer () {7})) }
    Method (X006) { Return (ToInteger (0x55)) }
    Method (X007) { Return (ToDecimalString ("17")) }

}
