DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Event (EVT0)
    Method (E001) { Signal (EVT0)  Return (Wait (EVT0, 10)) }
    Method (E002) { Return (Wait (EVT0, 10)) }

}
