package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DomainQualifierTest {
    @Test
    void onlyDigitsAreADomainId() {
        assertTrue(DomainQualifier.isDomid("0"));
        assertTrue(DomainQualifier.isDomid("0042"));
        assertFalse(DomainQualifier.isDomid(""));
        assertFalse(DomainQualifier.isDomid("-1"));
        assertFalse(DomainQualifier.isDomid("4a"));
        assertFalse(DomainQualifier.isDomid("\u0663")); // an Arabic-Indic digit is not an ASCII digit
    }

    @Test
    void digitsAreReadAsStrtoulThenCutTo32Bits() {
        assertEquals(42, DomainQualifier.domid("0042"));
        assertEquals(705_032_704L, DomainQualifier.domid("5000000000"));
        assertEquals(0xFFFF_FFFFL, DomainQualifier.domid("99999999999999999999999"));
    }
}
