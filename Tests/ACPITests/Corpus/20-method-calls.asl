DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (ADD2, 2) { Return (Arg0 + Arg1) }
    Method (SEVN, 7) { Return (Arg0 + Arg1 + Arg2 + Arg3 + Arg4 + Arg5 + Arg6) }
    Method (NORT) { Local0 = 1 }
    Method (T001) { Return (ADD2 (3, 4)) }
    Method (T002) { Return (SEVN (1, 2, 3, 4, 5, 6, 7)) }
    Method (T003) { Return (ADD2 (ADD2 (1, 2), ADD2 (3, 4))) }
    Method (T004) { NORT ()  Return (4) }

}
