package org.hvsim.tools.xlcfg;

/**
 * A JSON writer whose output is byte for byte what yajl's generator writes with
 * {@code yajl_gen_beautify} on, as libxl configures it: four-space indentation, {@code "key": value},
 * each array element and map entry on its own line, an empty map or array printed as an opening
 * bracket, a blank line and the closing bracket, and a newline after the top-level value. The caller
 * must emit a well-formed sequence (keys only inside maps). Not thread-safe.
 */
final class YajlGen {
    private static final String INDENT = "    ";
    private static final int MAX_DEPTH = 128;

    private enum State { START, MAP_START, MAP_KEY, MAP_VAL, ARRAY_START, IN_ARRAY, COMPLETE }

    private final StringBuilder out = new StringBuilder();
    private final State[] states = new State[MAX_DEPTH];
    private int depth;

    YajlGen() {
        states[0] = State.START;
    }

    void mapOpen() {
        open(State.MAP_START, '{');
    }

    void mapClose() {
        close('}');
    }

    void arrayOpen() {
        open(State.ARRAY_START, '[');
    }

    void arrayClose() {
        close(']');
    }

    /** A string: a map key or a value. */
    void string(String value) {
        atom(quoted(value));
    }

    void integer(long value) {
        atom(Long.toString(value));
    }

    void unsignedInteger(long value) {
        atom(Long.toUnsignedString(value));
    }

    void bool(boolean value) {
        atom(value ? "true" : "false");
    }

    void nul() {
        atom("null");
    }

    /** A map entry whose value is a string. */
    void entry(String key, String value) {
        string(key);
        string(value);
    }

    /** A map entry whose value is an integer. */
    void entry(String key, long value) {
        string(key);
        integer(value);
    }

    String buffer() {
        return out.toString();
    }

    private void open(State state, char bracket) {
        insertSeparator();
        insertWhitespace();
        if (depth + 1 >= MAX_DEPTH) {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        states[++depth] = state;
        out.append(bracket).append('\n');
    }

    private void close(char bracket) {
        depth--;
        out.append('\n');
        appendedAtom();
        insertWhitespace();
        out.append(bracket);
        finalNewline();
    }

    private void atom(String text) {
        insertSeparator();
        insertWhitespace();
        out.append(text);
        appendedAtom();
        finalNewline();
    }

    private void insertSeparator() {
        switch (states[depth]) {
            case MAP_KEY, IN_ARRAY -> out.append(",\n");
            case MAP_VAL -> out.append(": ");
            default -> { }
        }
    }

    private void insertWhitespace() {
        if (states[depth] != State.MAP_VAL) {
            out.append(INDENT.repeat(depth));
        }
    }

    private void appendedAtom() {
        states[depth] = switch (states[depth]) {
            case START -> State.COMPLETE;
            case MAP_START, MAP_KEY -> State.MAP_VAL;
            case ARRAY_START -> State.IN_ARRAY;
            case MAP_VAL -> State.MAP_KEY;
            default -> states[depth];
        };
    }

    private void finalNewline() {
        if (states[depth] == State.COMPLETE) {
            out.append('\n');
        }
    }

    /** yajl's string encoding: quotes, backslash and control characters escaped, the rest as is. */
    private static String quoted(String value) {
        StringBuilder q = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> q.append("\\r");
                case '\n' -> q.append("\\n");
                case '\\' -> q.append("\\\\");
                case '"' -> q.append("\\\"");
                case '\f' -> q.append("\\f");
                case '\b' -> q.append("\\b");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04X", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
