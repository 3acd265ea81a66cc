DefinitionBlock ("", "DSDT", 1, "HPLAB", "CORPUS", 1)
{

    Method (ONE1) { Return (Ones) }
    Method (WRAP) { Local0 = 0xFFFFFFFF  Local0++  Return (Local0) }
    Method (TRU1) { Return (LEqual (1, 1)) }
    Method (NOT1) { Return (Not (0)) }
    Method (SHL1) { Return (ShiftLeft (1, 31)) }
    Method (MUL1) { Return (Multiply (0x10000, 0x10000)) }

}
