DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (INT0, 5)
    Method (N001) { Local0 = RefOf (INT0)  Notify (Local0, 1)  Return (1) }

}
