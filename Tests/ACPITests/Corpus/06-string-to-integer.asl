DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (INT0, 5)
    Method (S001) { INT0 = "12"  Return (INT0) }
    Method (S002) { INT0 = "0x1F"  Return (INT0) }
    Method (S003) { INT0 = "12zz"  Return (INT0) }
    Method (S004) { INT0 = ""  Return (INT0) }
    Method (S005) { Return (ToInteger ("12")) }
    Method (S006) { Return (ToInteger ("0x12")) }
    Method (S007) { Return (Add ("10", 1)) }
    Method (S008) { INT0 = "123456789ABCDEF012"  Return (INT0) }

}
