DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{
    Method (O001) { Local0 = "5"  Local0++  Return (Local0) }
    Method (O002) { Return (LNot ("0")) }
    Method (O003) { Return (Multiply (0xFFFFFFFFFFFFFFFF, 2)) }
    Method (O004) { Divide (17, 5, , Local0)  Return (Local0) }
    Method (O005) { Return (Concatenate (Buffer () {1, 2}, "AB")) }
    Method (O006) { CopyObject (Package () {1, 2}, Local0)  Return (SizeOf (Local0)) }
    Method (O007) { Local0 = Buffer (3) {}  CreateBitField (Local0, 9, BT09)  BT09 = 1  Return (Local0) }
    Method (O008) { Local1 = 0  Local0 = 0
        While (Local0 < 5) { Local0++  Local2 = 0  While (1) { Local2++  If (Local2 > 2) { Break } }  Local1 += Local2 }
        Return (Local1) }
    Method (O009) { Return (Mid (Buffer () {1, 2, 3, 4}, 1, 2)) }
    Method (O010) { Return (ToString (Buffer () {0x41, 0x42, 0x43}, 0)) }
    Method (O011) { Return (Subtract (0, 1)) }
    Method (O012) { Return (ShiftRight (Ones, 60)) }
    Method (O013) { Return (ToDecimalString (0xFFFFFFFFFFFFFFFF)) }
    Method (O014) { Return (ToHexString (Buffer () {})) }
}
