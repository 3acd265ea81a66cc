// iasl-flags: -f
DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    External (MISS, IntObj)
    Method (E001) { Return (\MISS) }
    Method (E002) { Local1 = "\\INT1"  Return (DerefOf (Local1)) }
    Name (INT1, 0x42)
    Method (E005) { Local1 = "\\NOPE"  Return (DerefOf (Local1)) }
    Method (E003) { If (CondRefOf (\NOPE, Local0)) { Return (1) } Return (0) }
    Method (E004) { If (CondRefOf (\E001, Local0)) { Return (1) } Return (0) }

}
