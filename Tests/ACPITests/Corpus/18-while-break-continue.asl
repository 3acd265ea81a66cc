DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (W001) { Local0 = 0  Local1 = 0  While (Local0 < 10) { Local0++  Local1 += Local0 }  Return (Local1) }
    Method (W002) { Local0 = 0  While (1) { Local0++  If (Local0 == 5) { Break } }  Return (Local0) }
    Method (W003) { Local0 = 0  Local1 = 0  While (Local0 < 10) { Local0++  If (Local0 & 1) { Continue }  Local1++ }  Return (Local1) }
    Method (W004) { Local0 = 0  Local2 = 0  While (Local0 < 3) { Local1 = 0  While (Local1 < 4) { Local1++  Local2++ }  Local0++ }  Return (Local2) }
    Method (W005) { Local0 = 0  While (Local0 < 100) { Local0++  If (Local0 == 7) { Return (Local0) } }  Return (0) }

}
