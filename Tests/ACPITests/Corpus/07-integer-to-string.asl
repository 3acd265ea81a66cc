DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (STR0, "BAR")
    Method (T001) { STR0 = 0x4F4F46  Return (STR0) }
    Method (T002) { Return (ToHexString (0x1A)) }
    Method (T003) { Return (ToDecimalString (1234)) }
    Method (T004) { Return (Concatenate ("A", 0x1F)) }
    Method (T005) { STR0 = Buffer () {1, 2}  Return (STR0) }
    Method (T006) { STR0 = "LONGER STRING"  Return (SizeOf (STR0)) }

}
