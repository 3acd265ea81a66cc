DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (IF01, 1) { If (Arg0 == 1) { Return (0x10) } ElseIf (Arg0 == 2) { Return (0x20) } Else { Return (0x30) } }
    Method (T001) { Return (IF01 (1)) }
    Method (T002) { Return (IF01 (2)) }
    Method (T003) { Return (IF01 (7)) }
    Method (T004) { If ("0") { Return (1) } Return (2) }
    Method (T005) { If (Buffer () {0, 1}) { Return (1) } Return (2) }

}
