DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (L001) { Local0 = Package () {1, "two", Buffer () {3}}  Return (DerefOf (Index (Local0, 1))) }
    Method (L002) { Local0 = Package (4) {}  Local0 [2] = "x"  Return (DerefOf (Local0 [2])) }
    Method (L003) { Local0 = Package (2) {}  Return (DerefOf (Local0 [1])) }
    Method (L004) { Local0 = Package () {1, 2, 3}  Local1 = Local0  Local1 [0] = 9  Return (DerefOf (Local0 [0])) }
    Method (L005) { Local1 = 3  Local0 = Package (Local1) {}  Return (SizeOf (Local0)) }

}
