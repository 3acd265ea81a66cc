DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (STR0, "hello")
    Method (Z001) { Return (SizeOf (STR0)) }
    Method (Z002) { Local0 = Buffer (7) {}  Return (SizeOf (Local0)) }
    Method (Z003) { Local0 = Package (5) {}  Return (SizeOf (Local0)) }
    Method (Z004) { Local0 = 5  Return (SizeOf (Local0)) }

}
