package org.hvsim.domu.cmdline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits a command line into {@code key=value} tokens (the grammar {@link CommandLine} documents). One
 * pass over the text, so its cost is linear in the length (start_info bounds it at 1023 bytes).
 */
final class CommandLineLexer {
    private final String text;
    private int pos;

    CommandLineLexer(String text) {
        this.text = text;
    }

    static boolean isBlank(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static boolean isKeyChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-';
    }

    /** Every token's key and value, in order; a repeated key keeps its last value and first position. */
    Map<String, String> tokens() {
        Map<String, String> out = new LinkedHashMap<>();
        skipBlanks();
        while (pos < text.length()) {
            String key = key();
            out.put(key, value());
            if (pos < text.length() && !isBlank(text.charAt(pos))) {
                throw error("expected a blank after the value of " + key);
            }
            skipBlanks();
        }
        return out;
    }

    private String key() {
        int start = pos;
        while (pos < text.length() && isKeyChar(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a key ([A-Za-z0-9_.-]), found '" + text.charAt(pos) + "'");
        }
        if (pos == text.length() || text.charAt(pos) != '=') {
            throw error("expected '=' after key " + text.substring(start, pos));
        }
        String key = text.substring(start, pos);
        pos++;
        return key;
    }

    private String value() {
        if (pos < text.length() && text.charAt(pos) == '"') {
            int open = pos++;
            int close = text.indexOf('"', pos);
            if (close < 0) {
                pos = open;
                throw error("unterminated quote");
            }
            String v = text.substring(pos, close);
            pos = close + 1;
            return v;
        }
        int start = pos;
        while (pos < text.length() && !isBlank(text.charAt(pos))) {
            if (text.charAt(pos) == '"') {
                throw error("a quote may only open a value");
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private CommandLineException error(String what) {
        return new CommandLineException("column " + (pos + 1) + ": " + what);
    }
}
