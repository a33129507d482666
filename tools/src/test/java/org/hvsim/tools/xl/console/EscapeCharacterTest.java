package org.hvsim.tools.xl.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EscapeCharacterTest {
    @Test
    void caretNotationIsTheControlCharacter() {
        assertEquals(0x1d, EscapeCharacter.parse("^]"));
        assertEquals(0x01, EscapeCharacter.parse("^a"));
        assertEquals(0x01, EscapeCharacter.parse("^A"));
        assertEquals(0x00, EscapeCharacter.parse("^@"));
    }

    @Test
    void aSingleCharacterIsItself() {
        assertEquals('q', EscapeCharacter.parse("q"));
        assertEquals('^', EscapeCharacter.parse("^"));
    }

    @Test
    void anythingElseIsNone() {
        assertEquals(-1, EscapeCharacter.parse(""));
        assertEquals(-1, EscapeCharacter.parse("ab"));
        assertEquals(-1, EscapeCharacter.parse("^ab"));
        assertEquals(-1, EscapeCharacter.parse("\u00e9"));
    }
}
