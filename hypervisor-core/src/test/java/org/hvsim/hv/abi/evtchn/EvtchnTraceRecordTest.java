package org.hvsim.hv.abi.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The three-word trace record layout dom0 decodes: every field at its bits, none bleeding into another. */
class EvtchnTraceRecordTest {
    @Test
    void wordsHoldTheFieldsAtTheDocumentedBits() {
        assertEquals(0x0312_3400_7f05_0200L, EvtchnTraceRecord.word1(3, 0x1234, 0x7f, 5, 2));
        assertEquals(0x1234_0056_0b78_9abcL, EvtchnTraceRecord.word2(0x1234, 0x56, 11, 0x789, 0xabc));
    }

    @Test
    void eachFieldAtItsMaximumDecodesAloneWithTheOthersZero() {
        int[][] fields = {
                {EvtchnTraceRecord.KIND_UNMASK, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                {0, 0x7fef, 0, 0, 0, 0, 0, 0, 0, 0},
                {0, 0, 4095, 0, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 31, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 255, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0x7fef, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 4095, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 255, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 4095, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 4095},
        };
        for (int[] f : fields) {
            EvtchnTraceRecord r = EvtchnTraceRecord.decode(99, EvtchnTraceRecord.word1(f[0], f[1], f[2], f[3], f[4]),
                    EvtchnTraceRecord.word2(f[5], f[6], f[7], f[8], f[9]));
            assertEquals(new EvtchnTraceRecord(99, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]), r);
        }
    }
}
