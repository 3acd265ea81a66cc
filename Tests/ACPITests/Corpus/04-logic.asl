DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (LEQ1) { Return (LEqual (3, 3)) }
    Method (LNE1) { Return (LNotEqual (3, 4)) }
    Method (LGT1) { Return (LGreater (4, 3)) }
    Method (LLT1) { Return (LLess (4, 3)) }
    Method (LGE1) { Return (LGreaterEqual (3, 3)) }
    Method (LLE1) { Return (LLessEqual (4, 3)) }
    Method (LAN1) { Return (LAnd (1, 2)) }
    Method (LOR1) { Return (LOr (0, 0)) }
    Method (LNO1) { Return (LNot (5)) }
    Method (LNO2) { Return (LNot (0)) }

}
