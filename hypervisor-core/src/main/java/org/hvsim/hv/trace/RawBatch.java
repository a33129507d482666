package org.hvsim.hv.trace;

/**
 * Records collected in one pass, in time order.
 *
 * @param words                {@code events * 3} words, each record's time first
 * @param dropped              records lost since the previous batch (full buffers)
 * @param clockOffsetUnixNanos add to a record's time for nanoseconds since the Unix epoch
 */
public record RawBatch(long[] words, long dropped, long clockOffsetUnixNanos) {

    public int events() {
        return words.length / StripedTrace.WORDS;
    }
}
