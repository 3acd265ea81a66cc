// iasl-flags: -f
DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{
    Method (NORT) { Local0 = 1 }
    Method (R001) { Local0 = NORT ()  Return (ObjectType (Local0)) }
    Method (R002) { Return (NORT () + 1) }
}
