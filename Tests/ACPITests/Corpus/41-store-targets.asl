DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (INT0, 5)
    Name (STR0, "abc")
    Name (BUF0, Buffer (2) {})
    Method (S001) { Local0 = "text"  Local0 = 5  Return (Local0) }
    Method (S002) { Store (Buffer () {1, 2, 3}, INT0)  Return (INT0) }
    Method (S003) { Store (0x41, STR0)  Return (STR0) }
    Method (S004) { Store ("AB", BUF0)  Return (BUF0) }
    Method (S005) { Local0 = Add (2, 3, Local1)  Return (Local1) }

}
