DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Scope (\_SB) {
        Device (PRES) {
            Method (CSTA, 1) { Return (Arg0 * 2) }
        }
        Device (C001) {
            Method (_STA) { Return (^^PRES.CSTA (5)) }
            Method (STA2) { Return (\_SB.PRES.CSTA (6)) }
            Method (STA3) { Return (^^^_SB.PRES.CSTA (7)) }
        }
    }

}
