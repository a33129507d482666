package org.hvsim.dom0.xenstore.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hvsim.dom0.xenstore.wire.XsFrameAssembler;
import org.hvsim.dom0.xenstore.wire.XsFrameException;
import org.hvsim.dom0.xenstore.wire.XsMessage;

/**
 * Fuzzes request decoding and handling: the input is a sequence of chunks
 * {@code [connection selector][length][bytes]}, each fed through that connection's frame assembler, and
 * every message that comes out is processed. Whatever the bytes, {@link RequestStreams} must find
 * well-formed replies and a consistent store; a connection whose stream breaks the framing starts over.
 * In a normal build the seeds under {@code RequestFuzzTestInputs/requests} run as regression tests.
 */
class RequestFuzzTest {

    @FuzzTest
    void requests(byte[] input) {
        RequestStreams s = RequestStreams.standard();
        XsFrameAssembler[] assemblers = new XsFrameAssembler[s.conns.length];
        for (int i = 0; i < assemblers.length; i++) {
            assemblers[i] = new XsFrameAssembler();
        }
        int off = 0;
        while (off + 3 <= input.length) {
            int conn = Math.floorMod(input[off], s.conns.length);
            int len = Math.min(((input[off + 1] & 0xff) << 8) | (input[off + 2] & 0xff), input.length - off - 3);
            off += 3;
            int end = off + len;
            try {
                while (off < end) {
                    off += assemblers[conn].feed(input, off, end - off);
                    XsMessage m = assemblers[conn].take();
                    if (m != null) {
                        s.process(conn, m);
                    }
                }
            } catch (XsFrameException e) {
                assemblers[conn] = new XsFrameAssembler();
                off = end;
            }
        }
        s.assertConsistent();
    }
}
