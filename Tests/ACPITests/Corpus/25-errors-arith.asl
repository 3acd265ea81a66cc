DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (E001) { Local0 = 0  Return (Divide (5, Local0)) }
    Method (E002) { Local0 = 0  Return (Mod (5, Local0)) }
    Method (E003) { Local0 = Package () {1}  Return (Local0 + 1) }
    Method (E004) { Local0 = Package () {1}  Return (LEqual (Local0, 1)) }

}
