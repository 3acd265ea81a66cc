DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (CNT0, 0)
    Method (DEEP) { CNT0++  DEEP () }
    Method (M001) { DEEP ()  Return (CNT0) }
    Method (M002) { Return (CNT0) }
    Method (FACT, 1) { If (Arg0 <= 1) { Return (1) } Return (Arg0 * FACT (Arg0 - 1)) }
    Method (M003) { Return (FACT (20)) }

}
