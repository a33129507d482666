package org.hvsim.tools.hvsim.demo;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An {@link OutputStream} over a {@link PrintWriter}: the bytes written (a guest's console output, which is
 * UTF-8 or ASCII) are decoded as UTF-8 into the writer. A character split across two writes is held until its
 * last byte arrives; malformed bytes become U+FFFD.
 *
 * <p>Threads: one writer at a time (xl's console output pump); {@code synchronized} for the odd second.
 */
public final class Utf8WriterStream extends OutputStream {
    private final PrintWriter out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes of an incomplete character (at most 3), carried into the next write. */
    private final ByteBuffer carry = ByteBuffer.allocate(8);
    private final CharBuffer chars = CharBuffer.allocate(1024);

    public Utf8WriterStream(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        ByteBuffer in;
        if (carry.position() > 0) {
            in = ByteBuffer.allocate(carry.position() + len);
            in.put(carry.flip()).put(b, off, len).flip();
            carry.clear();
        } else {
            in = ByteBuffer.wrap(b, off, len);
        }
        while (true) {
            var result = decoder.decode(in, chars, false);
            drainChars();
            if (result.isUnderflow()) {
                break;
            }
        }
        carry.put(in);
    }

    private void drainChars() {
        chars.flip();
        out.append(chars);
        chars.clear();
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }
}
