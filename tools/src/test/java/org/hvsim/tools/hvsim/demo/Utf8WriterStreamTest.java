package org.hvsim.tools.hvsim.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Utf8WriterStreamTest {
    @Property
    void anyTextSplitAnywhereComesOutWhole(@ForAll String text, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringWriter sink = new StringWriter();
        Utf8WriterStream stream = new Utf8WriterStream(new PrintWriter(sink));
        for (int i = 0; i < bytes.length; i += chunk) {
            stream.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        stream.flush();
        assertEquals(new String(bytes, StandardCharsets.UTF_8), sink.toString());
    }

    @Test
    void malformedBytesBecomeReplacementCharacters() {
        StringWriter sink = new StringWriter();
        Utf8WriterStream stream = new Utf8WriterStream(new PrintWriter(sink));
        stream.write(new byte[] {'a', (byte) 0xff, 'b'}, 0, 3);
        stream.flush();
        assertEquals("a\uFFFDb", sink.toString());
    }
}
