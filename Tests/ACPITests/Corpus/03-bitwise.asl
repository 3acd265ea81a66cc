DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (AND1) { Return (And (0xF0F0, 0x0FF0)) }
    Method (OR01) { Return (Or (0xF000, 0x000F)) }
    Method (XOR1) { Return (Xor (0xFF, 0x0F)) }
    Method (NAN1) { Return (NAnd (0xFF, 0x0F)) }
    Method (NOR1) { Return (NOr (0xF0, 0x0F)) }
    Method (NOT1) { Return (Not (0x1234)) }
    Method (SHL1) { Return (ShiftLeft (0x81, 4)) }
    Method (SHR1) { Return (ShiftRight (0x8100, 8)) }
    Method (SHL2) { Local0 = 70  Return (ShiftLeft (1, Local0)) }
    Method (FSL1) { Return (FindSetLeftBit (0x80000000)) }
    Method (FSR1) { Return (FindSetRightBit (0x80000000)) }
    Method (FSL0) { Return (FindSetLeftBit (0)) }

}
