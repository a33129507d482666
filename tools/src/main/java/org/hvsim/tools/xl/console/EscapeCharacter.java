package org.hvsim.tools.xl.console;

/**
 * The console's escape character, which detaches from the console: Ctrl-] (0x1d) unless {@code -e} names
 * another, as xenconsole reads it: {@code ^X} is the control character {@code X & 0x1f}, a single
 * character is itself.
 */
public final class EscapeCharacter {
    /** Ctrl-], xenconsole's default. */
    public static final int DEFAULT = 0x1d;

    private EscapeCharacter() {
    }

    /** The escape byte {@code spec} names, or -1 if it names none. */
    public static int parse(String spec) {
        if (spec.length() == 2 && spec.charAt(0) == '^' && spec.charAt(1) < 0x80) {
            return spec.charAt(1) & 0x1f;
        }
        if (spec.length() == 1 && spec.charAt(0) < 0x80) {
            return spec.charAt(0);
        }
        return -1;
    }
}
