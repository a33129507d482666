package org.hvsim.tools.evtchn;

/**
 * A port's label made safe for a terminal. Labels come from whoever bound the port, a guest included, so
 * control characters (an escape sequence, a newline that would forge a line) are shown as escapes, never
 * written as they are.
 */
public final class LabelText {
    private LabelText() {
    }

    /** {@code label} with {@code \}, control characters and DEL escaped ({@code \n}, {@code \t}, {@code \x1b}). */
    public static String printable(String label) {
        StringBuilder out = null;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(label.length() + 8).append(label, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? label : out.toString();
    }

    /** {@code label} in double quotes, printable, with {@code "} escaped too. */
    public static String quoted(String label) {
        return '"' + printable(label).replace("\"", "\\\"") + '"';
    }

    private static String escape(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? String.format("\\x%02x", (int) c) : null;
        };
    }
}
