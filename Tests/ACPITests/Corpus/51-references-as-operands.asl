// iasl-flags: -f
DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{
    Name (INT0, 5)
    Name (BUF0, Buffer () {1, 2})
    Method (RD01, 1) { Return (Arg0 + 1) }
    Method (IN01, 1) { Arg0++  Return (Arg0) }
    Method (T001) { Return (RD01 (RefOf (INT0))) }
    Method (T002) { Local0 = IN01 (RefOf (INT0))  Return (INT0) }
    Method (T003) { Local0 = RefOf (INT0)  Return (Local0 + 1) }
    Method (T004) { Local0 = RefOf (INT0)  Local0 = 7  Return (INT0) }
    Method (T005) { Local0 = Index (BUF0, 1)  Return (DerefOf (Local0)) }
    Method (T006) { Store (5, \_GPE)  Return (1) }
    Method (T007) { Return (SizeOf (Arg0)) }
    Method (T008) { Local0 = RefOf (BUF0)  Return (SizeOf (Local0)) }
}
