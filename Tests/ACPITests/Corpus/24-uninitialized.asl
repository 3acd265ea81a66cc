// iasl-flags: -f
DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (ARGN, 1) { Return (Arg0) }
    Method (U001) { Return (ARGN ()) }
    Method (U002, 1) { If (Arg0) { Local0 = 1 } Return (Local0) }
    Method (U003) { Return (U002 (0)) }
    Method (U004) { Return (ARGN (1, 2)) }

}
