package org.hvsim.tools.xlcfg;

/** Text shown in messages: control characters escaped and length bounded, so a message stays one line. */
final class XlText {
    private static final int MAX_SHOWN = 60;

    private XlText() {
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (shown++ == MAX_SHOWN) {
                out.append("...");
                break;
            }
            switch (cp) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (cp < 0x20 || cp == 0x7f || Character.getType(cp) == Character.FORMAT
                            || Character.isSurrogate((char) cp)) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        }
        return out.toString();
    }
}
