DefinitionBlock ("", "DSDT", 2, "HPLAB", "CORPUS", 1)
{

    Scope (\_SB) {
        Device (C001) { Name (_HID, "ACPI0007") Name (_UID, 1) }
        Processor (CP02, 2, 0, 0) {}
        ThermalZone (TZ00) {}
        Method (N001) { Notify (C001, 1)  Return (1) }
        Method (N002) { Notify (\_SB.C001, 0x80)  Return (2) }
        Method (N003) { Notify (TZ00, 0x81)  Return (3) }
    }

}
