DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (BUF0, Buffer () {0x10, 0x20, 0x30})
    Method (I001) { Return (DerefOf (Index (BUF0, 1))) }
    Method (I002) { Index (BUF0, 2) = 0x99  Return (BUF0) }
    Method (I003) { Return (DerefOf (Index (BUF0, 3))) }
    Method (I004) { Local0 = Buffer () {1, 2, 3}  Local0 [0] = 0x1FF  Return (Local0) }

}
