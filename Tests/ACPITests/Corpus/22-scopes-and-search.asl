DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Name (VALU, 1)
    Scope (\_SB) {
        Name (VALU, 2)
        Device (DEV1) {
            Name (VALU, 3)
            Method (GET1) { Return (VALU) }
            Method (GET2) { Return (^VALU) }
            Method (GET3) { Return (\VALU) }
            Method (GET4) { Return (^^VALU) }
            Device (DEV2) {
                Method (GET5) { Return (VALU) }
                Method (GET6) { Return (^^^DEV1.VALU) }
            }
        }
        Method (GET7) { Return (^DEV1.VALU) }
    }

}
