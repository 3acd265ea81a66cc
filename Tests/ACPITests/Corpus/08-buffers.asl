DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (BUF0, Buffer (4) {1, 2, 3, 4})
    Method (B001) { Return (BUF0) }
    Method (B002) { BUF0 = Buffer () {9, 8, 7, 6, 5, 4}  Return (BUF0) }
    Method (B003) { BUF0 = Buffer () {9}  Return (BUF0) }
    Method (B004) { BUF0 = 0x0102  Return (BUF0) }
    Method (B005) { Return (SizeOf (BUF0)) }
    Method (B006) { Return (Buffer (8) {1, 2}) }
    Method (B007) { Local0 = 6  Return (Buffer (Local0) {}) }
    Method (B008) { Return (ToBuffer (0x0102)) }
    Method (B009) { Return (ToBuffer ("AB")) }

}
