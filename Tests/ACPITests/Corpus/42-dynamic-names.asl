DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (D001) { Name (TEMP, 7)  Return (TEMP) }
    Method (D002) { Return (D001 () + D001 ()) }
    Method (D003) { Name (TPKG, Package (3) {})  TPKG [1] = 5  Return (DerefOf (TPKG [1])) }

}
