DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (INT0, 5)
    Method (INCR, 1) { Arg0 = 9 }
    Method (R001) { Local0 = RefOf (INT0)  Return (DerefOf (Local0)) }
    Method (R002) { INCR (RefOf (INT0))  Return (INT0) }
    Method (R003) { Local0 = 3  Local1 = RefOf (Local0)  Return (DerefOf (Local1)) }
    Method (R004) { CopyObject ("now a string", INT0)  Return (INT0) }

}
