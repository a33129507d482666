package org.hvsim.domu.virtioblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The parsers of what the backend writes (untrusted): values in the contract's form round-trip; anything else is
 * an {@link IllegalArgumentException}, never another exception or a wrong value.
 */
class VirtioXenbusKeysPropertyTest {

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEFx -+,\u0000é").ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(600));
    }

    @Property
    void aU64RoundTripsThroughItsHex(@ForAll long v) {
        assertEquals(v, VirtioXenbusKeys.parseHexU64(VirtioXenbusKeys.hexU64(v)));
    }

    @Property
    void configBytesRoundTripThroughLowercaseHex(@ForAll @Size(max = 256) byte[] b) {
        assertArrayEquals(b, VirtioXenbusKeys.parseHexBytes(HexFormat.of().formatHex(b)));
    }

    @Property
    void aDecimalInRangeParsesAndOneOutsideIsRefused(@ForAll long v) {
        long n = v == Long.MIN_VALUE ? 0 : Math.abs(v);
        assertEquals(n, VirtioXenbusKeys.parseDecimal(Long.toString(n), 0, Long.MAX_VALUE));
        if (n > 0) {
            assertThrows(IllegalArgumentException.class, () -> VirtioXenbusKeys.parseDecimal(Long.toString(n), 0, n - 1));
        }
    }

    @Property
    void anythingElseIsRefusedCleanly(@ForAll("junk") String s) {
        check(s, () -> {
            long v = VirtioXenbusKeys.parseHexU64(s);
            assertEquals(Long.parseUnsignedLong(s, 16), v);
            assertTrue(s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
        });
        check(s, () -> {
            byte[] b = VirtioXenbusKeys.parseHexBytes(s);
            assertEquals(s, HexFormat.of().formatHex(b));
        });
        check(s, () -> {
            long v = VirtioXenbusKeys.parseDecimal(s, 0, 1L << 40);
            assertEquals(Long.parseLong(s), v);
        });
    }

    private static void check(String s, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }

    @Property
    void aMessageShowsAtMost40PrintableCharacters(@ForAll("junk") String s) {
        String p = VirtioXenbusKeys.printable(s);
        assertTrue(p.length() <= 40 + 5, p);
        assertTrue(p.chars().noneMatch(c -> c < 0x20), p);
    }
}
