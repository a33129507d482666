package org.hvsim.tools.xlcfg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A configuration as plain data (statements of key, operator and value, where a value is a String or
 * a List of values) and a renderer that writes one out in many equivalent ways: blanks, comments,
 * {@code ;} or newline separators, either quote, escapes, and line breaks and trailing commas inside
 * lists. Used by the property tests to check that whatever the rendering, the parser reads the model
 * back.
 */
record XlConfigModel(List<Statement> statements) {

    /** One statement. A String value that {@link #isNumberToken} is written bare, as a number token. */
    record Statement(String key, XlOperation operation, Object value) {
    }

    static boolean isNumberToken(String text) {
        return text.matches("[0-9][0-9a-fx]*");
    }

    /** Each key's final value with xl's += rule applied, in order of first appearance; plain data. */
    Map<String, Object> expectedValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Statement s : statements) {
            Object previous = values.get(s.key());
            Object value = s.value();
            if (s.operation() == XlOperation.APPEND && previous instanceof String before) {
                value = before + value;
            } else if (s.operation() == XlOperation.APPEND && previous instanceof List<?> before) {
                List<Object> joined = new ArrayList<>(before);
                joined.addAll((List<?>) value);
                value = joined;
            }
            values.put(s.key(), value);
        }
        return values;
    }

    /** Each key's final value in a parsed configuration, in order of first appearance; plain data. */
    static Map<String, Object> values(XlConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : config.keys()) {
            values.put(key, plain(config.find(key).orElseThrow().value()));
        }
        return values;
    }

    /** The statements of a parsed configuration as plain data. */
    static List<Statement> statements(XlConfig config) {
        List<Statement> settings = new ArrayList<>();
        for (XlSetting s : config.settings()) {
            settings.add(new Statement(s.key(), s.operation(), plain(s.value())));
        }
        return settings;
    }

    private static Object plain(XlValue value) {
        if (value instanceof XlAtom atom) {
            return atom.text();
        }
        List<Object> items = new ArrayList<>();
        for (XlValue item : ((XlList) value).items()) {
            items.add(plain(item));
        }
        return items;
    }

    /** Writes the model out; {@code seed} picks among the equivalent spellings. */
    String render(long seed) {
        Random r = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            fillerLines(out, r);
            out.append(blanks(r)).append(s.key()).append(blanks(r)).append(s.operation().symbol()).append(blanks(r));
            value(out, s.value(), r);
            out.append(blanks(r));
            boolean last = i == statements.size() - 1;
            int end = r.nextInt(4);
            if (end == 0) {
                out.append(';');
                if (!last || r.nextBoolean()) {
                    out.append(blanks(r)).append('\n');
                }
            } else if (end == 1 && !last) {
                out.append(';');
            } else if (end == 2) {
                out.append(comment(r)).append('\n');
            } else if (!last || r.nextBoolean()) {
                out.append('\n');
            }
        }
        if (r.nextInt(3) == 0) {
            out.append(comment(r));
        }
        return out.toString();
    }

    private static void value(StringBuilder out, Object value, Random r) {
        if (value instanceof String text) {
            out.append(isNumberToken(text) ? text : quoted(text, r));
            return;
        }
        List<?> items = (List<?>) value;
        out.append('[');
        listGap(out, r);
        for (int i = 0; i < items.size(); i++) {
            value(out, items.get(i), r);
            listGap(out, r);
            if (i < items.size() - 1 || r.nextBoolean()) {
                out.append(',');
                listGap(out, r);
            }
        }
        out.append(']');
    }

    /** Where a list allows it: blanks, and perhaps line breaks and comments. */
    private static void listGap(StringBuilder out, Random r) {
        out.append(blanks(r));
        while (r.nextInt(4) == 0) {
            out.append(r.nextBoolean() ? comment(r) : "").append('\n').append(blanks(r));
        }
    }

    private static String quoted(String text, Random r) {
        char quote = r.nextBoolean() ? '\'' : '"';
        StringBuilder q = new StringBuilder().append(quote);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean mustEscape = cp == quote || cp == '\\' || cp == '\n';
            if (!mustEscape && r.nextInt(4) != 0) {
                q.appendCodePoint(cp);
                continue;
            }
            String simple = switch (cp) {
                case '\'' -> "\\'";
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case 0x07 -> "\\a";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case 0x0b -> "\\v";
                default -> null;
            };
            if (simple != null && r.nextBoolean()) {
                q.append(simple);
                continue;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                int v = b & 0xff;
                if (r.nextBoolean()) {
                    q.append(String.format(r.nextBoolean() ? "\\x%02x" : "\\x%02X", v));
                } else {
                    boolean digitFollows = i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '7';
                    q.append(String.format(digitFollows || r.nextBoolean() ? "\\%03o" : "\\%o", v));
                }
            }
        }
        return q.append(quote).toString();
    }

    private static void fillerLines(StringBuilder out, Random r) {
        while (r.nextInt(4) == 0) {
            out.append(blanks(r)).append(r.nextBoolean() ? comment(r) : "").append('\n');
        }
    }

    private static String blanks(Random r) {
        StringBuilder b = new StringBuilder();
        while (r.nextInt(3) == 0) {
            b.append(r.nextBoolean() ? ' ' : '\t');
        }
        return b.toString();
    }

    private static String comment(Random r) {
        String[] texts = {"#", "# note", "#x = 'y' [1,]", "# é ü \"'\\", "#\t;"};
        return texts[r.nextInt(texts.length)];
    }
}
