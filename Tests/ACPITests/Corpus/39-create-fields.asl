DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (BUF0, Buffer (16) {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09})
    Method (C001) { CreateDWordField (BUF0, 0, DW00)  Return (DW00) }
    Method (C002) { CreateByteField (BUF0, 2, BY02)  BY02 = 0xEE  Return (BUF0) }
    Method (C003) { CreateBitField (BUF0, 8, BT08)  Return (BT08) }
    Method (C004) { CreateField (BUF0, 4, 12, FL00)  Return (FL00) }
    Method (C005) { CreateWordField (BUF0, 15, WD15)  Return (WD15) }
    Method (C006) { CreateQWordField (BUF0, 8, QW08)  QW08 = 0x1122334455667788  Return (QW08) }

}
