DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{
    Name (INT0, 0x42)
    Device (DEV0) {}
    Name (PKG0, Package () { INT0, "s", Package () { 1, Package () { 2 } } })
    Method (P001) { Return (DerefOf (Index (PKG0, 0))) }
    Method (P002) { Return (DerefOf (Index (DerefOf (Index (DerefOf (Index (PKG0, 2)), 1)), 0))) }
    Method (P003) { Local0 = PKG0  Local0 [1] = "t"  Return (DerefOf (Index (PKG0, 1))) }
    Method (P004) { Return (ObjectType (Index (PKG0, 2))) }
    Method (P005) { Return (SizeOf (Index (PKG0, 2))) }
}
