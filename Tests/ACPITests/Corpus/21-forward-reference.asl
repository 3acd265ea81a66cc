DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (CALL) { Return (LATE (5)) }
    Method (LATE, 1) { Return (Arg0 + 3) }

}
