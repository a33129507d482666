package org.hvsim.hv.evtchn.trace;

import java.util.Map;

/**
 * Records collected in one pass, in time order.
 *
 * @param words               {@code events * 3} words in the layout of
 *                            {@link org.hvsim.hv.abi.evtchn.EvtchnTraceRecord}
 * @param dropped             records lost since the previous batch (full buffers)
 * @param clockOffsetUnixNanos add to a record's time for nanoseconds since the Unix epoch
 * @param labels              the texts of the label ids the records use
 */
public record TraceBatch(long[] words, long dropped, long clockOffsetUnixNanos, Map<Integer, String> labels) {

    public int events() {
        return words.length / org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.WORDS;
    }
}
