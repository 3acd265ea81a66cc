DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (ADD1) { Return (Add (0x10, 0x22)) }
    Method (SUB1) { Return (Subtract (5, 7)) }
    Method (MUL1) { Return (Multiply (0x12345678, 0x100)) }
    Method (DIV1) { Divide (100, 7, Local0, Local1)  Return (Concatenate (Local0, Local1)) }
    Method (MOD1) { Return (Mod (100, 7)) }
    Method (WRAP) { Local0 = 0xFFFFFFFFFFFFFFFF  Local0++  Return (Local0) }
    Method (NEG1) { Local0 = 0  Local0--  Return (Local0) }

}
