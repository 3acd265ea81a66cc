DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (PKG0, Package () {1, 5, 9, 13})
    Method (M001) { Return (Match (PKG0, MGT, 4, MLT, 10, 0)) }
    Method (M002) { Return (Match (PKG0, MEQ, 7, MTR, 0, 0)) }
    Method (M003) { Local0 = 5  Local1 = Local0  Local0 = 6  Return (Local1) }
    Method (M004) { Return (\_REV) }

}
