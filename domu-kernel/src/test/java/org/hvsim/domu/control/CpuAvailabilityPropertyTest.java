package org.hvsim.domu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Watch paths and values under {@code ~/cpu} come from xenstored: any string parses to a vCPU or to nothing. */
class CpuAvailabilityPropertyTest {

    @Property
    void anyPathIsAVcpuInRangeOrNothing(@ForAll String path) {
        OptionalInt id = CpuAvailability.vcpuOf(path);
        if (id.isPresent()) {
            assertTrue(id.getAsInt() >= 0, path);
            assertTrue(path.startsWith("cpu/" + path.substring(4).split("/", -1)[0]), path);
        }
    }

    @Property
    void aVcpusOwnNodeAndDirectoryNameIt(@ForAll @IntRange(min = 0, max = 999_999_999) int id) {
        assertEquals(OptionalInt.of(id), CpuAvailability.vcpuOf(CpuAvailability.node(id)));
        assertEquals(OptionalInt.of(id), CpuAvailability.vcpuOf("cpu/" + id));
    }

    @Property
    void signsSpacesAndOverlongNumbersAreNotVcpus(@ForAll @IntRange(min = 0, max = 1000) int id) {
        assertTrue(CpuAvailability.vcpuOf("cpu/+" + id).isEmpty());
        assertTrue(CpuAvailability.vcpuOf("cpu/-" + id).isEmpty());
        assertTrue(CpuAvailability.vcpuOf("cpu/ " + id).isEmpty());
        assertTrue(CpuAvailability.vcpuOf("cpu/" + id + "0000000000").isEmpty());
        assertTrue(CpuAvailability.vcpuOf("cpu").isEmpty());
        assertTrue(CpuAvailability.vcpuOf("cpu/").isEmpty());
        assertTrue(CpuAvailability.vcpuOf("cpux/" + id).isEmpty());
    }

    @Property
    void onlyTheTwoExactValuesAreStates(@ForAll String value) {
        CpuAvailability.of(value).ifPresent(a -> assertEquals(a.value(), value));
        assertEquals(value.equals("online") || value.equals("offline"), CpuAvailability.of(value).isPresent());
    }
}
