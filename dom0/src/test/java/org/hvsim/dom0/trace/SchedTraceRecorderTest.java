package org.hvsim.dom0.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hvsim.proto.privcmd.SchedTraceBatch;
import org.junit.jupiter.api.Test;

class SchedTraceRecorderTest {
    private final List<Consumer<SchedTraceBatch>> calls = new ArrayList<>();
    private final SchedTraceRecorder recorder = new SchedTraceRecorder(calls::add);

    private static SchedTraceBatch batch(int records, long dropped) {
        SchedTraceBatch.Builder b = SchedTraceBatch.newBuilder().setDropped(dropped);
        for (int i = 0; i < records * 3; i++) {
            b.addWords(i);
        }
        return b.build();
    }

    @Test
    void oneRecordingAtATimeStartsTheTraceAndStopsItOnceWhenClosed() throws Exception {
        SchedTraceRecorder.Recording r = recorder.begin();
        assertTrue(recorder.recording());
        assertEquals(1, calls.size());
        assertNotNull(calls.getFirst());
        SchedTraceRecorder.BusyException busy = assertThrows(SchedTraceRecorder.BusyException.class, recorder::begin);
        assertEquals("a scheduler trace is already being recorded", busy.getMessage());
        assertEquals(1, calls.size(), "the refused recording touched nothing");
        r.close();
        r.close();
        assertEquals(2, calls.size(), "stopped once");
        assertNull(calls.getLast());
        assertFalse(recorder.recording());
        try (SchedTraceRecorder.Recording again = recorder.begin()) {
            assertEquals(3, calls.size());
            r.close();
            assertEquals(3, calls.size(), "closing an old recording does not stop the new one");
        }
    }

    @Test
    void batchesComeOutInOrderAndThoseBeyondTheQueueAreCountedNotKept() throws Exception {
        try (SchedTraceRecorder.Recording r = recorder.begin()) {
            Consumer<SchedTraceBatch> hv = calls.getFirst();
            for (int i = 0; i < SchedTraceRecorder.MAX_QUEUED_BATCHES; i++) {
                hv.accept(batch(1, i));
            }
            hv.accept(batch(5, 2));
            hv.accept(batch(1, 0));
            assertEquals(8, r.lostHere(), "5 + 2 dropped, and 1");
            assertEquals(0, r.poll(1_000_000).getDropped());
            List<SchedTraceBatch> rest = r.drain();
            assertEquals(SchedTraceRecorder.MAX_QUEUED_BATCHES - 1, rest.size());
            assertEquals(1, rest.getFirst().getDropped());
            assertNull(r.poll(1_000_000), "nothing more came");
        }
    }
}
