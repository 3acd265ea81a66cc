DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (LOOP) { Local0 = 0  While (One) { Local0++ }  Return (Local0) }
    Method (FINE) { Return (3) }

}
