DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Method (S001) { Return (Concatenate ("Hello, ", "world")) }
    Method (S002) { Local0 = ""  Return (SizeOf (Local0)) }
    Method (S003) { Return (Mid ("ABCDEF", 2, 3)) }
    Method (S004) { Return (Mid ("ABCDEF", 4, 10)) }
    Method (S005) { Return (Mid ("ABCDEF", 10, 2)) }
    Method (S006) { Return (ToString (Buffer () {0x41, 0x42, 0, 0x43}, Ones)) }
    Method (S007) { Return (ToString (Buffer () {0x41, 0x42, 0x43}, 2)) }
    Method (S008) { Local0 = "xyz"  Return (DerefOf (Index (Local0, 1))) }

}
