package org.hvsim.tools.xlcfg;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Resolves the backslash escapes of a quoted xl.cfg string: {@code \" \' \\ \a \b \f \n \r \t \v},
 * {@code \xHH} (exactly two hex digits) and {@code \ooo} (one to three octal digits, at most 0377).
 *
 * <p>As in xl a string is a sequence of bytes: literal characters contribute their UTF-8 encoding and
 * numeric escapes contribute one byte each, so {@code "\xc3\xa9"} is "é". Two departures from xl,
 * whose numeric escapes are broken (it skips a digit and reads octal as decimal): here they work as
 * documented; and because hvsim passes strings on as Unicode, a string whose bytes are not UTF-8, or
 * that contains a NUL (where xl would silently cut it), is an error. Stateless.
 */
final class XlStringEscapes {

    private XlStringEscapes() {
    }

    /**
     * The value of {@code raw}, a quoted string including its quotes; errors go to {@code diagnostics}
     * (and the returned value is then meaningless).
     */
    static String unquote(String raw, XlLocation start, XlDiagnostics diagnostics) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int end = raw.length() - 1;
        int i = 1;
        while (i < end) {
            char c = raw.charAt(i);
            if (c != '\\') {
                int cp = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.writeBytes(utf8);
                i += Character.charCount(cp);
                continue;
            }
            int escapeAt = i;
            char e = raw.charAt(i + 1);
            i += 2;
            int simple = simpleEscape(e);
            if (simple >= 0) {
                bytes.write(simple);
            } else if (e == 'x') {
                int digits = countDigits(raw, i, end, 2, 16);
                if (digits != 2) {
                    return fail(raw, start, escapeAt, diagnostics,
                            "invalid digit after backslash hex numerical character escape in quoted string");
                }
                bytes.write(Integer.parseInt(raw.substring(i, i + 2), 16));
                i += 2;
            } else if (e >= '0' && e <= '7') {
                int digits = 1 + countDigits(raw, i, end, 2, 8);
                int value = Integer.parseInt(raw.substring(i - 1, i - 1 + digits), 8);
                if (value > 0377) {
                    return fail(raw, start, escapeAt, diagnostics,
                            "octal numerical character escape out of range in quoted string");
                }
                bytes.write(value);
                i += digits - 1;
            } else {
                return fail(raw, start, escapeAt, diagnostics,
                        "invalid character after backslash in quoted string");
            }
        }
        byte[] value = bytes.toByteArray();
        for (byte b : value) {
            if (b == 0) {
                return fail(raw, start, 1, diagnostics, "NUL character in quoted string");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return fail(raw, start, 1, diagnostics, "quoted string is not valid UTF-8 after its escapes");
        }
    }

    private static int simpleEscape(char e) {
        return switch (e) {
            case '"', '\'', '\\' -> e;
            case 'a' -> 0x07;
            case 'b' -> 0x08;
            case 'f' -> 0x0c;
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 0x0b;
            default -> -1;
        };
    }

    private static int countDigits(String raw, int from, int end, int max, int radix) {
        int n = 0;
        while (n < max && from + n < end && Character.digit(raw.charAt(from + n), radix) >= 0
                && raw.charAt(from + n) < 0x80) {
            n++;
        }
        return n;
    }

    private static String fail(String raw, XlLocation start, int index, XlDiagnostics diagnostics, String what) {
        int column = start.column() + raw.codePointCount(0, index);
        diagnostics.lexicalError(new XlLocation(start.file(), start.line(), column), raw, what);
        return "";
    }
}
