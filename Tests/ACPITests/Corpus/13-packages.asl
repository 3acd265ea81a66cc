DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (PKG0, Package () {1, "two", Buffer () {3}, Package () {4, 5}})
    Method (P001) { Return (PKG0) }
    Method (P002) { Return (SizeOf (PKG0)) }
    Method (P003) { Return (DerefOf (Index (PKG0, 1))) }
    Method (P004) { Return (DerefOf (Index (DerefOf (Index (PKG0, 3)), 1))) }
    Method (P005) { Index (PKG0, 0) = 0x77  Return (DerefOf (Index (PKG0, 0))) }
    Method (P006) { Return (DerefOf (Index (PKG0, 4))) }
    Method (P007) { Return (Package (3) {1}) }

}
