package org.hvsim.tools.xl.format;

/** printf's {@code %-Ns} and {@code %Ns}: pad to a width, never truncate. */
public final class Text {
    private Text() {
    }

    public static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    public static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
