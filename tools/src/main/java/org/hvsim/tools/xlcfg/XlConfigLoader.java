package org.hvsim.tools.xlcfg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code xl create} does with its arguments: reads the configuration file, applies the
 * command-line {@code key=value} overrides after it (several statements may share one argument,
 * separated by {@code ;}), and reads the result into a {@code DomainConfig}. Overrides are parsed as the
 * source {@code command line}, one argument per line, so an error in the third override is reported at
 * {@code command line:3:<column>}. Files must be UTF-8 and at most {@value #MAX_FILE_BYTES} bytes.
 * Stateless.
 */
public final class XlConfigLoader {
    public static final String OVERRIDES_SOURCE = "command line";
    public static final int MAX_FILE_BYTES = XlConfigParser.MAX_SOURCE_CHARS;

    private XlConfigLoader() {
    }

    /** Parses a config file plus command-line overrides into a DomainConfig. */
    public static LoadedConfig load(Path file, List<String> overrides) throws XlConfigException, IOException {
        String name = file.toString();
        byte[] bytes;
        try (InputStream input = Files.newInputStream(file)) {
            bytes = input.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new XlConfigException(XlLocation.wholeFile(name),
                    name + ": configuration file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return parse(decode(bytes, name), name, overrides);
    }

    /** Same, from text (file name used in messages). */
    public static LoadedConfig parse(String text, String fileName, List<String> overrides) throws XlConfigException {
        XlConfig config = XlConfigParser.parse(text, fileName);
        if (!overrides.isEmpty()) {
            config = XlConfigParser.parse(String.join("\n", overrides), OVERRIDES_SOURCE, config);
        }
        return DomainConfigReader.read(config);
    }

    /** The text of {@code bytes}; invalid UTF-8 is an error at the line and column where it starts. */
    private static String decode(byte[] bytes, String name) throws XlConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            String before = out.flip().toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            String lastLine = before.substring(before.lastIndexOf('\n') + 1);
            int column = 1 + lastLine.codePointCount(0, lastLine.length());
            throw XlConfigException.at(new XlLocation(name, line, column), "configuration file is not valid UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
